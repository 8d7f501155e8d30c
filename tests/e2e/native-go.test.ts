/**
 * examples/native-go (the generated Go SDK) under the real pulumi CLI, run by this project's Go language host
 * (tools/langhosts/golang). The copied program's go.mod points at this repository's sdks/go; it is built once per
 * stack and run through the host's `binary` option (a build per command would add seconds to each).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO_ROOT } from '../harness/tools';
import { describeNativeExample } from './native-scenario';

const goEnv = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

// the Go host implements no GenerateProgram: `pulumi import` runs with --generate-code=false
describeNativeExample('native-go', {
  generatesCode: false,
  prepare: async (stack) => {
    const sdk = path.join(REPO_ROOT, 'sdks', 'go');
    execFileSync('go', ['mod', 'edit', `-replace=example.invalid/vvp-iac/sdks/go=${sdk}`], {
      cwd: stack.programDir,
      env: goEnv,
    });
    execFileSync('go', ['build', '-trimpath', '-o', 'program', '.'], { cwd: stack.programDir, env: goEnv });
    const file = path.join(stack.programDir, 'Pulumi.yaml');
    const project = parseYaml(fs.readFileSync(file, 'utf8'));
    project.runtime = { name: 'go', options: { binary: 'program' } };
    fs.writeFileSync(file, toYaml(project));
  },
});
