import { DiffKind, describeDiff, detailedDiff, topLevelKey } from '../../src/native/detailed-diff';

const base = () => ({
  syncingMode: 'PATCH',
  deployment: {
    metadata: { name: 'orders', namespace: 'default' },
    spec: { state: 'CANCELLED', template: { spec: { parallelism: 1, flinkConfiguration: { 'a.b': '1' } } } },
  },
  apiToken: 's3cr3t',
});

describe('detailedDiff', () => {
  it('names the one changed leaf in Pulumi path syntax, with its top-level key in diffs', () => {
    const news = base();
    news.deployment.spec.template.spec.parallelism = 2;
    const dd = detailedDiff(base(), news, { replace: false });
    expect([...dd.detailed]).toEqual([['deployment.spec.template.spec.parallelism', DiffKind.UPDATE]]);
    expect(dd.diffs).toEqual(['deployment']);
  });

  it('quotes keys with dots and indexes arrays; adds and deletes are told apart', () => {
    const olds = { ...base(), items: ['a', 'b'] } as Record<string, unknown>;
    const news = base() as any;
    news.deployment.spec.template.spec.flinkConfiguration['a.b'] = '2';
    news.deployment.spec.template.spec.flinkConfiguration['c'] = 'x';
    news.items = ['a'];
    const dd = detailedDiff(olds, news, { replace: false });
    expect(Object.fromEntries(dd.detailed)).toEqual({
      'deployment.spec.template.spec.flinkConfiguration["a.b"]': DiffKind.UPDATE,
      'deployment.spec.template.spec.flinkConfiguration.c': DiffKind.ADD,
      'items[1]': DiffKind.DELETE,
    });
    expect(dd.diffs.sort()).toEqual(['deployment', 'items']);
  });

  it('marks only the name and namespace paths as replacing', () => {
    const news = base();
    news.deployment.metadata.name = 'orders-2';
    news.deployment.spec.state = 'RUNNING';
    const dd = detailedDiff(base(), news, { replace: true });
    expect(Object.fromEntries(dd.detailed)).toEqual({
      'deployment.metadata.name': DiffKind.UPDATE_REPLACE,
      'deployment.spec.state': DiffKind.UPDATE,
    });
  });

  it('replaces the whole deployment when no path shows why, without overlapping sub-paths', () => {
    const news = base();
    news.deployment.spec.state = 'RUNNING';
    const dd = detailedDiff(base(), news, { replace: true });
    expect(Object.fromEntries(dd.detailed)).toEqual({ deployment: DiffKind.UPDATE_REPLACE });
    expect(dd.diffs).toEqual(['deployment']);
  });

  it('hides creation-only initFields and falls back to the keys the handlers name', () => {
    const olds = { ...base(), initFields: { spec: { maxJobCreationAttempts: 1 } } };
    const news = { ...base(), initFields: { spec: { maxJobCreationAttempts: 2 } } };
    const dd = detailedDiff(olds, news, { replace: false, fallbackKeys: ['savepointNonce'] });
    expect(Object.fromEntries(dd.detailed)).toEqual({ savepointNonce: DiffKind.UPDATE });
  });

  it('topLevelKey reads plain and quoted first segments', () => {
    expect(topLevelKey('deployment.spec.state')).toBe('deployment');
    expect(topLevelKey('items[0]')).toBe('items');
    expect(topLevelKey('["a.b"].c')).toBe('a.b');
  });
});

describe('describeDiff', () => {
  it('shows old and new values per path, never a secret', () => {
    const news = base();
    news.deployment.spec.template.spec.parallelism = 3;
    news.apiToken = 'n3w-s3cr3t';
    const dd = detailedDiff(base(), news, { replace: false });
    const lines = describeDiff(dd, base(), news);
    expect(lines).toEqual(['~ deployment.spec.template.spec.parallelism: 1 => 3', '~ apiToken: [secret] => [secret]']);
    expect(lines.join()).not.toMatch(/s3cr3t/);
  });

  it('bounds the number of lines and the length of values', () => {
    const olds: Record<string, unknown> = {};
    const news: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) news[`k${i}`] = 'x'.repeat(200);
    const lines = describeDiff(detailedDiff(olds, news, { replace: false }), olds, news);
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('… and 10 more');
    expect(lines[0]!.length).toBeLessThan(80);
  });
});
