import { putDefinition } from '../../tests/fixtures/seed';
import { getPath, setPath } from '../src/json';
import { PUT_MANDATORY_FIELDS } from '../src/model/generated';
import { missingPutFields } from '../src/validate-put';

/** The rule read straight off the generated table, each path split on every use: what missingPutFields computes. */
function byTheTable(deployment: unknown): string[] {
  const missing: string[] = [];
  for (const field of PUT_MANDATORY_FIELDS) {
    const parent = field.path.split('.').slice(0, -1).join('.');
    const parentValue = parent ? getPath(deployment, parent) : deployment;
    if (field.when && getPath(parentValue, field.when.sibling) !== field.when.equals) continue;
    if (field.oneOf) {
      if (!field.oneOf.some((k) => getPath(parentValue, k) !== undefined))
        missing.push(`${parent}.${field.oneOf.join(' or ')}`);
      continue;
    }
    if (getPath(deployment, field.path) === undefined) missing.push(field.path);
  }
  return missing;
}

const complete = () => structuredClone(putDefinition('orders')) as Record<string, unknown>;

describe('missingPutFields', () => {
  it('finds nothing missing in a complete PUT definition', () => {
    expect(missingPutFields(complete())).toEqual([]);
  });

  it('names every field of the table when the deployment is empty or not an object', () => {
    const all = [
      'metadata.name',
      'metadata.namespace',
      'spec.state',
      'spec.upgradeStrategy.kind',
      'spec.restoreStrategy.kind',
      'spec.deploymentTargetName or sessionClusterName',
      'spec.template.spec.artifact.kind',
      'spec.template.spec.parallelism',
      'spec.template.spec.resources.jobmanager.cpu',
      'spec.template.spec.resources.jobmanager.memory',
      'spec.template.spec.resources.taskmanager.cpu',
      'spec.template.spec.resources.taskmanager.memory',
    ];
    for (const empty of [{}, undefined, null, 'x', [], { spec: 'flat' }, { metadata: [], spec: { template: 1 } }])
      expect(missingPutFields(empty)).toEqual(byTheTable(empty));
    expect(missingPutFields({})).toEqual(all);
  });

  it('asks for the locator of the artifact kind only', () => {
    for (const [kind, locator] of [
      ['JAR', 'jarUri'],
      ['SQLSCRIPT', 'sqlScript'],
      ['PYTHON', 'pythonArtifactUri'],
    ] as const) {
      const d = complete();
      setPath(d, ['spec', 'template', 'spec', 'artifact'], { kind });
      expect(missingPutFields(d)).toEqual([`spec.template.spec.artifact.${locator}`]);
    }
    const other = complete();
    setPath(other, ['spec', 'template', 'spec', 'artifact'], { kind: 'OTHER' });
    expect(missingPutFields(other)).toEqual([]);
  });

  it('agrees with the table read path by path, for each field removed alone and for pairs of them', () => {
    const leaves = PUT_MANDATORY_FIELDS.flatMap((f) =>
      (f.oneOf ?? [f.path.split('.').pop()!]).map((k) => [...f.path.split('.').slice(0, -1), ...k.split('.')]),
    );
    // removing a leaf, its parent, or replacing the parent by a scalar: every way a field can be absent
    const cuts = leaves.flatMap((p) => [
      { at: p, value: undefined },
      { at: p.slice(0, -1), value: undefined },
      { at: p.slice(0, -1), value: 'scalar' },
    ]);
    let compared = 0;
    for (const a of cuts) {
      for (const b of [undefined, ...cuts.filter((_, i) => i % 7 === 0)]) {
        const d = complete();
        for (const cut of b ? [a, b] : [a]) if (cut.at.length) setPath(d, cut.at, cut.value);
        expect(missingPutFields(d)).toEqual(byTheTable(d));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('reads own keys only: a prototype name in the deployment is not a field', () => {
    const d = JSON.parse('{"metadata":{"__proto__":{"name":"x"}},"spec":{"constructor":{}}}') as unknown;
    expect(missingPutFields(d)).toEqual(byTheTable(d));
    expect(missingPutFields(d)).toContain('metadata.name');
  });
});
