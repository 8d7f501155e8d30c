/**
 * examples/native-python (the generated pulumi_vvp SDK) under the real pulumi CLI, run by this project's Python
 * language host (tools/langhosts/python) in a virtualenv with pulumi from PyPI and the SDK installed
 * (scripts/native-python-venv.sh).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO_ROOT } from '../harness/tools';
import { describeNativeExample } from './native-scenario';

let venv: string | undefined;
const venvDir = (): string => {
  venv ??= process.env.VVP_IAC_NATIVE_PYTHON_VENV;
  venv ??= execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'native-python-venv.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
  return venv;
};

// the Python host implements no GenerateProgram: `pulumi import` runs with --generate-code=false
describeNativeExample('native-python', {
  generatesCode: false,
  prepare: async (stack) => {
    const file = path.join(stack.programDir, 'Pulumi.yaml');
    const project = parseYaml(fs.readFileSync(file, 'utf8'));
    project.runtime.options.virtualenv = venvDir();
    fs.writeFileSync(file, toYaml(project));
  },
});
