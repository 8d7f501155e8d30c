import { closestName, editDistance, unknownFieldIssues, unknownFields } from '../src/unknown-fields';
import { validate, warningsOf } from '../src/validate';

describe('editDistance', () => {
  it.each([
    ['parallelism', 'parallelism', 0],
    ['paralellism', 'parallelism', 1], // two neighbours swapped
    ['parallelsm', 'parallelism', 1],
    ['jarURI', 'jarUri', 0], // case does not count
    ['stat', 'state', 1],
    ['abc', 'xyz', 3],
    ['', 'kind', 4],
  ])('%s vs %s = %d', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

describe('closestName', () => {
  const known = ['state', 'template', 'deploymentTargetName', 'sessionClusterName', 'upgradeStrategy'];
  it.each([
    ['stat', 'state'],
    ['templat', 'template'],
    ['deploymentTargetNmae', 'deploymentTargetName'],
    ['deplymentTargtName', 'deploymentTargetName'],
    ['upgradeStrategie', 'upgradeStrategy'],
    ['somethingElse', undefined],
    ['xy', undefined],
  ])('%s → %s', (name, want) => expect(closestName(name, known)).toBe(want));
});

describe('unknownFields', () => {
  it.each<[string, unknown, { path: string; suggestion?: string }[]]>([
    ['a known definition', { metadata: { name: 'a' }, spec: { template: { spec: { parallelism: 2 } } } }, []],
    [
      'a misspelt template field',
      { spec: { template: { spec: { paralellism: 2 } } } },
      [{ path: 'spec.template.spec.paralellism', suggestion: 'parallelism' }],
    ],
    [
      'a misspelt artifact field',
      { spec: { template: { spec: { artifact: { kind: 'JAR', jarUrl: 's3://x' } } } } },
      [{ path: 'spec.template.spec.artifact.jarUrl', suggestion: 'jarUri' }],
    ],
    ['an unknown field far from every known one', { spec: { fooBarBaz: 1 } }, [{ path: 'spec.fooBarBaz' }]],
    [
      'map keys are the user’s',
      { metadata: { labels: { anything: 'x' } }, spec: { template: { spec: { flinkConfiguration: { 'a.b': '1' } } } } },
      [],
    ],
    ['not an object', 'text', []],
  ])('%s', (_name, deployment, want) => expect(unknownFields(deployment)).toEqual(want));

  it('walks initFields by their own schema', () => {
    expect(unknownFields({ spec: { template: { spec: { resorces: {} } } } }, 'initFields')).toEqual([
      { path: 'spec.template.spec.resorces', suggestion: 'resources' },
    ]);
  });
});

describe('unknownFieldIssues and validate', () => {
  it('words the warning with the suggestion and the full path', () => {
    const issues = unknownFieldIssues(
      { deployment: { spec: { template: { spec: { paralellism: 2 } } } } },
      (p) => `spec.${p}`,
      'vvpdeployment a/b',
    );
    expect(issues).toEqual([
      {
        path: 'spec.deployment.spec.template.spec.paralellism',
        code: 'unknown-field',
        severity: 'warning',
        message:
          'vvpdeployment a/b: spec.template.spec.paralellism is not a known VVP field: did you mean parallelism? (it is sent to VVP as written)',
      },
    ]);
  });

  it('is a warning of validate, never an error (the field passes through)', () => {
    const spec = {
      syncingMode: 'PATCH',
      deployment: {
        metadata: { name: 'a', namespace: 'default' },
        spec: { state: 'RUNNING', template: { spec: { paralellism: 2 } } },
      },
    };
    const issues = validate({ spec }, undefined, { specPath: '' });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(warningsOf(issues).map((w) => w.path)).toEqual(['deployment.spec.template.spec.paralellism']);
  });
});
