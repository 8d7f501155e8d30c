import { putDefinition } from '../../tests/fixtures/seed';
import {
  deletionIssues,
  errorsOf,
  missingPutFields,
  validate,
  warningsOf,
  type ValidationTarget,
} from '../src/validate';

const putDeployment = putDefinition('orders');

function cr(
  spec: Record<string, unknown>,
  labels: Record<string, string> = { 'ververica.platform/owner': 'op-1' },
): ValidationTarget {
  return { metadata: { name: 'orders', namespace: 'team-a', labels }, spec };
}

const patchSpec = (extra: Record<string, unknown> = {}) => ({
  syncingMode: 'PATCH',
  deployment: { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'CANCELLED' } },
  ...extra,
});

const codes = (issues: { code: string }[]) => issues.map((i) => i.code).sort();

describe('validate: accepted definitions', () => {
  it('a minimal PATCH definition has no issues', () => {
    expect(validate(cr(patchSpec()), undefined, { instanceId: 'op-1' })).toEqual([]);
  });
  it('a complete PUT definition has no issues', () => {
    expect(validate(cr({ syncingMode: 'PUT', deployment: putDeployment }), undefined, { instanceId: 'op-1' })).toEqual(
      [],
    );
  });
  it('unknown VVP fields pass through, with a warning only (ADR 0011)', () => {
    const issues = validate(
      cr(patchSpec({ deployment: { metadata: { name: 'a', namespace: 'b' }, spec: { futureField: { x: 1 } } } })),
    );
    expect(issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'unknown-field', 'spec.deployment.spec.futureField'],
    ]);
  });
});

describe('validate: rejected definitions name the field, the value and the fix', () => {
  it.each([
    ['a missing owner label', cr(patchSpec(), {}), 'owner-missing', 'metadata.labels["ververica.platform/owner"]'],
    [
      'another owner',
      cr(patchSpec(), { 'ververica.platform/owner': 'op-2' }),
      'owner-mismatch',
      'metadata.labels["ververica.platform/owner"]',
    ],
    ['an unknown syncingMode', cr(patchSpec({ syncingMode: 'MERGE' })), 'enum', 'spec.syncingMode'],
    [
      'an unknown state',
      cr(patchSpec({ deployment: { metadata: { name: 'a', namespace: 'b' }, spec: { state: 'RUNING' } } })),
      'enum',
      'spec.deployment.spec.state',
    ],
    [
      'a string parallelism',
      cr(
        patchSpec({
          deployment: { metadata: { name: 'a', namespace: 'b' }, spec: { template: { spec: { parallelism: '2' } } } },
        }),
      ),
      'type',
      'spec.deployment.spec.template.spec.parallelism',
    ],
    [
      'a missing name',
      cr(patchSpec({ deployment: { metadata: { namespace: 'b' } } })),
      'required',
      'spec.deployment.metadata.name',
    ],
    [
      'an invalid name',
      cr(patchSpec({ deployment: { metadata: { name: 'My_Job', namespace: 'b' } } })),
      'name-invalid',
      'spec.deployment.metadata.name',
    ],
    [
      'a missing VVP namespace',
      cr(patchSpec({ deployment: { metadata: { name: 'a' } } })),
      'required',
      'spec.deployment.metadata.namespace',
    ],
    [
      'metadata and userMetadata at once',
      cr(
        patchSpec({
          deployment: { metadata: { name: 'a', namespace: 'b' }, userMetadata: { name: 'a', namespace: 'b' } },
        }),
      ),
      'metadata-alias',
      'spec.deployment.userMetadata',
    ],
    ['a fractional nonce', cr(patchSpec({ savepointNonce: 1.5 })), 'nonce-invalid', 'spec.savepointNonce'],
    ['a nonce beyond 2^53', cr(patchSpec({ restartNonce: 2 ** 54 })), 'nonce-invalid', 'spec.restartNonce'],
    [
      'PUT with initFields at creation',
      cr({ syncingMode: 'PUT', deployment: putDeployment, initFields: { spec: {} } }),
      'put-init-fields',
      'spec.initFields',
    ],
    ['a missing syncingMode', cr({ deployment: putDeployment }), 'required', 'spec.syncingMode'],
  ])('%s', (_n, target, code, path) => {
    const issues = errorsOf(validate(target, undefined, { instanceId: 'op-1' }));
    const hit = issues.find((i) => i.code === code && i.path === path);
    expect(hit).toBeDefined();
    expect(hit!.message).toMatch(/^vvpdeployment team-a\/orders: /);
  });

  it('lists every PUT-mandatory field that is missing, all at once', () => {
    const issues = errorsOf(
      validate(
        cr({
          syncingMode: 'PUT',
          deployment: { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'RUNNING' } },
        }),
      ),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'spec.deployment.spec.upgradeStrategy.kind',
      'spec.deployment.spec.restoreStrategy.kind',
      'spec.deployment.spec.deploymentTargetName or sessionClusterName',
      'spec.deployment.spec.template.spec.artifact.kind',
      'spec.deployment.spec.template.spec.parallelism',
      'spec.deployment.spec.template.spec.resources.jobmanager.cpu',
      'spec.deployment.spec.template.spec.resources.jobmanager.memory',
      'spec.deployment.spec.template.spec.resources.taskmanager.cpu',
      'spec.deployment.spec.template.spec.resources.taskmanager.memory',
    ]);
    expect(issues[0]!.message).toContain('switch syncingMode to PATCH');
  });

  it('requires the locator of the artifact kind in PUT mode', () => {
    const sql = {
      ...putDeployment,
      spec: {
        ...putDeployment.spec,
        template: { spec: { ...putDeployment.spec.template.spec, artifact: { kind: 'SQLSCRIPT' } } },
      },
    };
    expect(missingPutFields(sql)).toEqual(['spec.template.spec.artifact.sqlScript']);
    const session = {
      ...putDeployment,
      spec: { ...putDeployment.spec, deploymentTargetName: undefined, sessionClusterName: 's' },
    };
    expect(missingPutFields(session)).toEqual([]);
  });

  it('rejects switching to PUT without the mandatory fields', () => {
    const old = cr(patchSpec());
    const next = cr({ ...patchSpec(), syncingMode: 'PUT' });
    expect(codes(errorsOf(validate(next, old)))).toContain('put-mandatory');
  });

  it.each([
    ['name', { name: 'renamed', namespace: 'default' }, 'spec.deployment.metadata.name'],
    ['namespace', { name: 'orders', namespace: 'other' }, 'spec.deployment.metadata.namespace'],
  ])('the deployment %s is immutable', (_n, metadata, path) => {
    const old = cr(patchSpec());
    const next = cr(patchSpec({ deployment: { metadata, spec: { state: 'CANCELLED' } } }));
    const issue = errorsOf(validate(next, old)).find((i) => i.code === 'immutable');
    expect(issue?.path).toBe(path);
  });

  it('the owner label is immutable', () => {
    const issues = errorsOf(validate(cr(patchSpec(), { 'ververica.platform/owner': 'op-2' }), cr(patchSpec())));
    expect(codes(issues)).toEqual(['immutable']);
  });
});

describe('validate: warnings', () => {
  it('names each path where initFields and the deployment overlap', () => {
    const spec = patchSpec({ initFields: { spec: { state: 'RUNNING', template: { spec: { parallelism: 2 } } } } });
    const warnings = warningsOf(validate(cr(spec)));
    expect(warnings.map((w) => w.path)).toEqual(['spec.initFields.spec.state']);
    expect(warnings[0]!.message).toContain('the value from `deployment` wins');
  });
  it('warns that initFields are ignored after a switch to PUT', () => {
    const old = cr(patchSpec({ initFields: { spec: {} } }));
    const next = cr({ syncingMode: 'PUT', deployment: putDeployment, initFields: { spec: {} } });
    const issues = validate(next, old);
    expect(errorsOf(issues)).toEqual([]);
    expect(codes(warningsOf(issues))).toEqual(['put-init-fields']);
  });
  it('warns that editing initFields after creation changes nothing', () => {
    const issues = validate(cr(patchSpec({ initFields: { spec: { state: 'RUNNING' } } })), cr(patchSpec()));
    expect(codes(issues)).toEqual(['init-fields-changed']);
  });
});

describe('deletion guard', () => {
  it.each(['RUNNING', 'TRANSITIONING'])('rejects deleting a %s deployment with the way out', (state) => {
    const [issue] = deletionIssues('vvpdeployment team-a/orders', state, 'orders');
    expect(issue!.message).toContain('CANCELLED');
    expect(issue!.message).toContain(
      "kubectl wait vvpdeployment orders --for=jsonpath='{.status.actualState}'=CANCELLED",
    );
  });
  it.each(['CANCELLED', 'SUSPENDED', 'FAILED', 'FINISHED', undefined])(
    'allows deleting when the actual state is %s',
    (state) => {
      expect(deletionIssues('x', state)).toEqual([]);
    },
  );
});

describe('Pulumi inputs', () => {
  it('use paths without the spec prefix and name the deployment', () => {
    const issues = validate(
      { spec: { syncingMode: 'PUT', deployment: { metadata: { name: 'orders', namespace: 'default' } } } },
      undefined,
      { specPath: '' },
    );
    expect(issues[0]!.path).toBe('deployment.spec.state');
    expect(issues[0]!.message).toMatch(/^deployment default\/orders: /);
  });
});
