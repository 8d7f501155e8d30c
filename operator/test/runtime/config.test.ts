import { ConfigError, envName, helpText, parseConfig } from '../../src/runtime/config';

const required = ['--instance-id', 'op-1', '--watched-namespaces', 'a, b', '--vvp-url', 'http://127.0.0.1:8080'];

describe('configuration', () => {
  it('reads the documented command line', () => {
    const cfg = parseConfig(
      [
        ...required,
        '--webhook-port',
        '9443',
        '--webhook-cert',
        'c.pem',
        '--webhook-key',
        'k.pem',
        '--metrics-port',
        '0',
        '--resync-seconds',
        '30',
        '--concurrency',
        '8',
        '--leader-election',
      ],
      {},
    );
    expect(cfg).toMatchObject({
      instanceId: 'op-1',
      watchedNamespaces: ['a', 'b'],
      webhookPort: 9443,
      metricsPort: 0,
      resyncSeconds: 30,
      concurrency: 8,
      leaderElection: true,
      vvpEvents: true,
    });
  });

  it('takes every flag from VVP_OPERATOR_* environment variables, and a flag wins over its variable', () => {
    const env = {
      VVP_OPERATOR_INSTANCE_ID: 'from-env',
      VVP_OPERATOR_WATCHED_NAMESPACES: 'x',
      VVP_OPERATOR_VVP_URL: 'http://vvp',
      VVP_OPERATOR_LEADER_ELECTION: 'true',
      VVP_OPERATOR_CONCURRENCY: '2',
    };
    expect(parseConfig([], env)).toMatchObject({ instanceId: 'from-env', leaderElection: true, concurrency: 2 });
    expect(parseConfig(['--instance-id', 'flag'], env)).toMatchObject({ instanceId: 'flag' });
    expect(envName('vvp-url')).toBe('VVP_OPERATOR_VVP_URL');
  });

  it('names the missing flag and its variable', () => {
    expect(() => parseConfig(['--instance-id', 'x'], {})).toThrow(
      /--watched-namespaces is required \(or VVP_OPERATOR_WATCHED_NAMESPACES\)/,
    );
  });

  it('rejects a webhook port without certificates unless self-signed is asked for', () => {
    expect(() => parseConfig([...required, '--webhook-port', '9443'], {})).toThrow(ConfigError);
    expect(parseConfig([...required, '--webhook-port', '9443', '--webhook-self-signed'], {})).toMatchObject({
      webhookSelfSigned: true,
    });
  });

  it('rejects bad numbers with the value received', () => {
    expect(() => parseConfig([...required, '--concurrency', 'many'], {})).toThrow(
      /--concurrency must be an integer of at least 1 \(got "many"\)/,
    );
  });

  it('documents every flag and its environment variable in --help', () => {
    expect(parseConfig(['--help'], {})).toBe('help');
    const help = helpText();
    for (const f of [
      '--instance-id',
      '--watched-namespaces',
      '--vvp-url',
      '--kubeconfig',
      '--webhook-port',
      '--webhook-cert',
      '--webhook-key',
      '--metrics-port',
      '--resync-seconds',
      '--concurrency',
      '--leader-election',
    ]) {
      expect(help).toContain(f);
    }
    expect(help).toContain('VVP_OPERATOR_INSTANCE_ID');
  });
});
