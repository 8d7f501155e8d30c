/** The API token per Secret: read once for a burst of reconciles, read again when it expires or VVP refused it. */
import { ApiKeySecretError, ApiTokenCache, API_TOKEN_TTL_MS, readApiToken } from '../../src/controller/api-token';
import { FakeKube } from '../../src/kube/testing';

const NS = 'team-a';
const cr = (name: string, secret?: string) => ({
  metadata: {
    name,
    namespace: NS,
    uid: `uid-${name}`,
    ...(secret ? { annotations: { apikeySecretName: secret } } : {}),
  },
});

function setup() {
  const kube = new FakeKube();
  const clock = { t: 0 };
  kube.putSecret(NS, 'key', { token: 'first' });
  return { kube, clock, cache: new ApiTokenCache(kube, () => clock.t) };
}

describe('ApiTokenCache', () => {
  it('reads a Secret once for many CRs naming it within the TTL, also when the reads run at the same time', async () => {
    const { kube, cache } = setup();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.read(cr(`cr-${i}`, 'key'))));
    expect(new Set(tokens)).toEqual(new Set(['first']));
    expect(kube.callsOf('getSecretData')).toHaveLength(1);
  });

  it('picks a rotated token up once the TTL has passed', async () => {
    const { kube, clock, cache } = setup();
    await cache.read(cr('a', 'key'));
    kube.putSecret(NS, 'key', { token: 'second' });
    clock.t += API_TOKEN_TTL_MS - 1;
    expect(await cache.read(cr('a', 'key'))).toBe('first');
    clock.t += 1;
    expect(await cache.read(cr('a', 'key'))).toBe('second');
    expect(kube.callsOf('getSecretData')).toHaveLength(2);
  });

  it('reads the Secret again at once after invalidate (VVP refused the token)', async () => {
    const { kube, cache } = setup();
    await cache.read(cr('a', 'key'));
    kube.putSecret(NS, 'key', { token: 'second' });
    cache.invalidate(cr('b', 'key'));
    expect(await cache.read(cr('a', 'key'))).toBe('second');
  });

  it('keeps no failed read: a missing Secret is looked for again on the next reconcile', async () => {
    const { kube, cache } = setup();
    await expect(cache.read(cr('a', 'later'))).rejects.toBeInstanceOf(ApiKeySecretError);
    kube.putSecret(NS, 'later', { token: 'now-there' });
    expect(await cache.read(cr('a', 'later'))).toBe('now-there');
    expect(kube.callsOf('getSecretData')).toHaveLength(2);
  });

  it('keys entries by namespace and Secret name, and reads nothing without the annotation', async () => {
    const { kube, cache } = setup();
    kube.putSecret(NS, 'other', { token: 'other-token' });
    expect(await cache.read(cr('a', 'key'))).toBe('first');
    expect(await cache.read(cr('b', 'other'))).toBe('other-token');
    expect(await cache.read(cr('c'))).toBeUndefined();
    expect(kube.callsOf('getSecretData').map((c) => c.args)).toEqual([
      [NS, 'key'],
      [NS, 'other'],
    ]);
  });

  it('readApiToken (the webhook live check) reads the Secret every time', async () => {
    const { kube } = setup();
    await readApiToken(kube, cr('a', 'key'));
    await readApiToken(kube, cr('a', 'key'));
    expect(kube.callsOf('getSecretData')).toHaveLength(2);
  });
});
