import { Faults } from '../src/faults';
import { matchRoute, ROUTE_TABLE, splitPath } from '../src/routes';
import { Store } from '../src/store';

const store = new Store({ faults: new Faults() });
afterAll(() => store.stop());

describe('route table', () => {
  it('matches by segments, decodes each once and names a badly encoded segment', () => {
    const m = matchRoute(store, 'GET', splitPath('/api/v1/namespaces/default/deployments/my%2Dapp/'));
    expect(m.template).toBe('/api/v1/namespaces/{ns}/deployments/{name}');
    expect(m.params).toEqual({ ns: 'default', name: 'my-app' });
    expect(() => splitPath('/api/v1/namespaces/default/deployments/%E0%A4%A')).toThrow(
      "Invalid path segment 6 '%E0%A4%A': malformed percent-encoding",
    );
  });

  it('answers 404 naming the path or the missing namespace', () => {
    expect(() => matchRoute(store, 'PUT', splitPath('/api/v1/namespaces/default/deployments'))).toThrow(
      'No route for PUT /api/v1/namespaces/default/deployments',
    );
    expect(() => matchRoute(store, 'GET', splitPath('/api/v1/namespaces/nope/whatever'))).toThrow(
      "Namespace 'nope' does not exist",
    );
  });

  it('a long pathological path is rejected fast (no regular expression on the path)', () => {
    const paths = ['/'.repeat(20_000) + 'x', `/api/v1/namespaces/${'a/'.repeat(10_000)}`, `/${'%'.repeat(15_000)}`];
    for (const p of paths) {
      const t0 = process.hrtime.bigint();
      expect(() => matchRoute(store, 'GET', splitPath(p))).toThrow(/No route|Invalid path segment|Namespace/);
      expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(200);
    }
  });

  it('every route states who may call it', () => {
    expect(ROUTE_TABLE.length).toBeGreaterThan(25);
    expect(ROUTE_TABLE.filter((r) => r.access === 'admin').map((r) => `${r.method} ${r.template}`)).toEqual([
      'GET /namespaces/v1/namespaces',
      'POST /namespaces/v1/namespaces',
      'DELETE /namespaces/v1/namespaces/{ns}',
    ]);
  });
});
