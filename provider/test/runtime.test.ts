/** The provider runtime as Pulumi's dynamic-provider host drives it: expected failures are reported once. */
import { runtimeHandlers } from '../src/runtime';

/** What the host does with an error thrown by check, diff, read or delete (cmd/dynamic-provider). */
async function hostCall(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    console.error(`${e}: ${(e as Error).stack}`);
    return (e as Error).message;
  }
  throw new Error('the call did not fail');
}

describe('runtime handlers', () => {
  const printed: unknown[][] = [];
  let original: typeof console.error;
  beforeEach(() => {
    printed.length = 0;
    original = console.error;
    // stands for the process's stderr beneath any filter the runtime installs
    console.error = (...args: unknown[]) => void printed.push(args);
  });
  afterEach(() => {
    console.error = original;
  });

  it('an expected failure (no VVP URL) reaches the engine as its message only, without the stack line', async () => {
    const props = { deployment: { metadata: { name: 'orders', namespace: 'default' } }, syncingMode: 'PATCH' };
    const message = await hostCall(() => runtimeHandlers().delete('id-1', props));
    expect(message).toMatch(/^deployment default\/orders: no VVP URL; set `baseUrl` on the resource/);
    expect(printed).toEqual([]);
    // anything else the process prints still reaches stderr
    console.error('another line');
    expect(printed).toEqual([['another line']]);
  });
});
