/**
 * scripts/tools.sh --only pulumi, the demo's tool build: the three pulumi tools under their own cache key, shared
 * with the full bin directory that `npm test` uses (run after the full build, so nothing is compiled here).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../harness/proc';
import { REPO_ROOT, toolsBinDir } from '../harness/tools';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'tools.sh');
const PULUMI_VERSION = /^PULUMI_VERSION=(\S+)/m.exec(
  fs.readFileSync(path.join(REPO_ROOT, 'tools', 'versions.env'), 'utf8'),
)?.[1];

jest.setTimeout(120_000);

describe('scripts/tools.sh --only pulumi', () => {
  let fullBin: string;
  let pulumiBin: string;
  let stderr: string;

  beforeAll(async () => {
    fullBin = toolsBinDir();
    const res = await run('bash', [SCRIPT, '--only', 'pulumi'], { cwd: REPO_ROOT });
    pulumiBin = res.stdout.trim().split('\n').pop()!;
    stderr = res.stderr;
  });

  it('prints a bin directory of its own key holding exactly pulumi, its Node.js host and the dynamic-provider shim', () => {
    expect(pulumiBin).toMatch(/\/pulumi-[0-9.]+_[0-9a-f]{12}\/bin$/);
    expect(fs.readdirSync(pulumiBin).sort()).toEqual([
      'pulumi',
      'pulumi-language-nodejs',
      'pulumi-resource-pulumi-nodejs',
    ]);
  });

  it('compiles nothing when the tools exist, and its pulumi is the one in the full bin directory', async () => {
    expect(stderr).not.toMatch(/building/);
    for (const tool of ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs']) {
      expect(fs.statSync(path.join(pulumiBin, tool)).ino).toBe(fs.statSync(path.join(fullBin, tool)).ino);
    }
    const version = await run(path.join(pulumiBin, 'pulumi'), ['version']);
    expect(version.stdout.trim()).toBe(PULUMI_VERSION);
  });

  it('rejects an unknown --only value with a message naming the accepted one', async () => {
    const res = await run('bash', [SCRIPT, '--only', 'etcd'], { cwd: REPO_ROOT, allowFailure: true });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--only takes: pulumi');
  });
});
