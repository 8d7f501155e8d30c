import { importedProps, isImport, parseImportId } from '../../src/native/import';

describe('import IDs', () => {
  it('accepts <namespace>/<name>, <namespace>/<uuid> and a bare UUID (namespace default)', () => {
    const uuid = '11111111-aaaa-4000-8000-000000000001';
    expect(parseImportId('team-a/orders')).toEqual({ namespace: 'team-a', nameOrId: 'orders' });
    expect(parseImportId(`team-a/${uuid}`)).toEqual({ namespace: 'team-a', nameOrId: uuid });
    expect(parseImportId(uuid.toUpperCase())).toEqual({ namespace: 'default', nameOrId: uuid });
  });

  it.each([['orders'], ['a/b/c'], ['Default/orders'], ['default/Orders_1'], ['x'.repeat(500)]])(
    'rejects %s, naming the forms',
    (id) => {
      expect(() => parseImportId(id)).toThrow(/vvp:index:Deployment import ID .*use `<namespace>\/<name>`/);
    },
  );

  it('an imported deployment becomes a PATCH definition without server fields or ownership stamps', () => {
    const props = importedProps({
      metadata: {
        id: 'u-1',
        name: 'orders',
        namespace: 'default',
        resourceVersion: 4,
        labels: { team: 'data', 'ververica.platform/owner': 'pulumi' },
        annotations: { 'ververica.platform/urn': 'urn:x' },
      },
      spec: { state: 'RUNNING', deploymentTargetName: 'default' },
      status: { state: 'RUNNING' },
    } as never);
    expect(props).toEqual({
      syncingMode: 'PATCH',
      deployment: {
        metadata: { name: 'orders', namespace: 'default', labels: { team: 'data' } },
        spec: { state: 'RUNNING', deploymentTargetName: 'default' },
      },
      lastObserved: props.deployment,
    });
    expect(isImport({})).toBe(true);
    expect(isImport(props)).toBe(false);
  });
});
