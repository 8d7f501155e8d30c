/**
 * Files named on the command line, hostile: a device that never ends (/dev/zero), a directory, a missing file, a
 * kubeconfig naming /dev/zero as its CA, an unwritable --webhook-ca-out, and an emulator --data-dir under /proc
 * (where Node's recursive mkdir never returns). Each process exits at once with one line naming the flag, the file
 * and the fix, without a stack trace and without reading the device.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../harness/proc';
import { REPO_ROOT } from '../harness/tools';

const OPERATOR = path.join(REPO_ROOT, 'bin', 'vvp-operator.js');
const EMULATOR = path.join(REPO_ROOT, 'bin', 'vvp-emulator.js');
const BASE = [
  '--instance-id',
  'a',
  '--watched-namespaces',
  'ns',
  '--vvp-url',
  'http://127.0.0.1:1',
  '--metrics-port',
  '0',
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vvp-cli-files-'));
  fs.writeFileSync(
    path.join(dir, 'zero-ca.yaml'),
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", certificate-authority: /dev/zero}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** name, program, arguments, its one stderr line, its exit code (1 unless given: 2 is a bad flag value) */
const cases: [string, string, string[], RegExp, number?][] = [
  [
    'operator --kubeconfig /dev/zero',
    OPERATOR,
    ['--kubeconfig', '/dev/zero'],
    /^vvp-operator: --kubeconfig \/dev\/zero: not a regular file \(a device, FIFO or socket\); pass a kubeconfig file$/,
  ],
  [
    'operator --kubeconfig <a directory>',
    OPERATOR,
    ['--kubeconfig', '/etc'],
    /^vvp-operator: --kubeconfig \/etc: not a regular file \(a directory\); pass a kubeconfig file$/,
  ],
  [
    'operator --kubeconfig <missing>',
    OPERATOR,
    ['--kubeconfig', '/proc/vvp-none'],
    /^vvp-operator: --kubeconfig \/proc\/vvp-none: ENOENT: no such file or directory, stat '\/proc\/vvp-none'; pass a kubeconfig file$/,
  ],
  [
    'operator kubeconfig CA /dev/zero',
    OPERATOR,
    ['--kubeconfig', '<dir>/zero-ca.yaml'],
    /^vvp-operator: --kubeconfig .*zero-ca\.yaml: \/dev\/zero: not a regular file \(a device, FIFO or socket\); pass a PEM CA file as certificate-authority$/,
  ],
  [
    'operator KUBECONFIG=/dev/zero',
    OPERATOR,
    ['<env KUBECONFIG=/dev/zero>'],
    /^vvp-operator: \$KUBECONFIG \/dev\/zero: not a regular file \(a device, FIFO or socket\); pass a kubeconfig file$/,
  ],
  [
    'operator --webhook-cert /dev/zero',
    OPERATOR,
    ['--webhook-port', '0', '--webhook-cert', '/dev/zero', '--webhook-key', '/dev/zero'],
    /^vvp-operator: --webhook-cert \/dev\/zero: not a regular file \(a device, FIFO or socket\); pass a PEM certificate \(chain\), e\.g\. tls\.crt$/,
  ],
  [
    'operator --webhook-ca-out unwritable',
    OPERATOR,
    ['--webhook-port', '0', '--webhook-self-signed', '--webhook-ca-out', '/proc/vvp-none/ca.pem'],
    /^vvp-operator: --webhook-ca-out \/proc\/vvp-none\/ca\.pem: ENOENT: no such file or directory, open '\/proc\/vvp-none\/ca\.pem'; pass a file path the operator may write$/,
  ],
  [
    'emulator --global-defaults /dev/zero',
    EMULATOR,
    ['--port', '0', '--global-defaults', '/dev/zero'],
    /^vvp-emulator: --global-defaults \/dev\/zero: not a regular file \(a device, FIFO or socket\); pass a JSON or YAML file$/,
    2,
  ],
  [
    'emulator --data-dir under /proc',
    EMULATOR,
    ['--port', '0', '--data-dir', '/proc/vvp-none/state'],
    /^vvp-emulator: cannot create --data-dir \/proc\/vvp-none\/state \(ENOENT: no such file or directory, mkdir '\/proc\/vvp-none'\): pass a directory the emulator may create and write$/,
  ],
];

it.each(cases)(
  '%s: exits at once with one line naming the flag, the file and the fix',
  async (_name, bin, args, line, code = 1) => {
    const env = { ...process.env, KUBECONFIG: '' };
    for (const a of args)
      if (a.startsWith('<env ')) Object.assign(env, Object.fromEntries([a.slice(5, -1).split('=')]));
    const flags = args.filter((a) => !a.startsWith('<env ')).map((a) => a.replace('<dir>', dir));
    const argv = [...(bin === OPERATOR ? BASE : []), ...flags];
    const t0 = Date.now();
    const res = await run(process.execPath, [bin, ...argv], { allowFailure: true, timeoutMs: 20_000, env });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(res.code).toBe(code);
    const errors = res.stderr.trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(line);
  },
);
