/**
 * examples/native-go (the generated Go SDK) under the real pulumi CLI, run by this project's Go language host
 * (tools/langhosts/golang: go build + run). The copied program's go.mod points at this repository's sdks/go.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/tools';
import { describeNativeExample } from './native-scenario';

// the Go host implements no GenerateProgram: `pulumi import` runs with --generate-code=false
describeNativeExample('native-go', {
  generatesCode: false,
  env: async () => ({ GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' }),
  prepare: async (stack) => {
    execFileSync(
      'go',
      ['mod', 'edit', `-replace=example.invalid/vvp-iac/sdks/go=${path.join(REPO_ROOT, 'sdks', 'go')}`],
      {
        cwd: stack.programDir,
      },
    );
  },
});
