import { classifyChange, INIT_FIELDS_CREATION_ONLY, type DesiredDefinition } from '../src/diff';

describe('change classification', () => {
  const base: DesiredDefinition = {
    syncingMode: 'PATCH',
    deployment: {
      metadata: { name: 'a', namespace: 'default' },
      spec: { state: 'CANCELLED', template: { spec: { parallelism: 1 } } },
    },
    savepointNonce: 1,
    restartNonce: 1,
  };
  const edit = (patch: Partial<DesiredDefinition>): DesiredDefinition => ({ ...base, ...patch });
  const spec = (s: object) => ({ ...base.deployment, spec: { ...base.deployment!.spec, ...s } });

  it.each([
    ['nothing changed', edit({}), 'none'],
    ['syncingMode only', edit({ syncingMode: 'PUT' }), 'none'],
    ['initFields only', edit({ initFields: { spec: { template: { spec: { parallelism: 4 } } } } }), 'none'],
    ['a template field', edit({ deployment: spec({ template: { spec: { parallelism: 2 } } }) }), 'config'],
    ['the desired state', edit({ deployment: spec({ state: 'RUNNING' }) }), 'state'],
    [
      'state and config together',
      edit({ deployment: spec({ state: 'RUNNING', template: { spec: { parallelism: 2 } } }) }),
      'state',
    ],
    ['the savepoint nonce', edit({ savepointNonce: 2 }), 'savepoint'],
    ['the restart nonce', edit({ restartNonce: 2 }), 'restart'],
    ['both nonces', edit({ restartNonce: 2, savepointNonce: 2 }), 'restart'],
    [
      'the name',
      edit({ deployment: { ...base.deployment, metadata: { name: 'b', namespace: 'default' } } }),
      'replace',
    ],
    [
      'the VVP namespace',
      edit({ deployment: { ...base.deployment, metadata: { name: 'a', namespace: 'other' } } }),
      'replace',
    ],
  ] as const)('%s → %s', (_n, next, expected) => {
    expect(classifyChange(base, next).change).toBe(expected);
  });

  it('warns that initFields apply at creation only', () => {
    const s = classifyChange(base, edit({ initFields: { spec: { state: 'RUNNING' } } }));
    expect(s.warnings).toEqual([INIT_FIELDS_CREATION_ONLY]);
    expect(s.specChanged).toBe(false);
  });

  it('treats userMetadata and metadata as the same field', () => {
    const alias = edit({
      deployment: { userMetadata: { name: 'a', namespace: 'default' }, spec: base.deployment!.spec! },
    });
    expect(classifyChange(base, alias).change).toBe('none');
  });
});
