import { buildCustomResource, impliedResourceName, withDeploymentDefaults } from '../src/custom-resource';
import { validate } from '../src/validate';

describe('buildCustomResource: the CR the cdk8s construct and the Pulumi component emit', () => {
  it('a minimal input becomes a PATCH CR owned by the instance, creating the deployment CANCELLED in VVP namespace default', () => {
    expect(buildCustomResource({ name: 'orders', instanceId: 'op-1', deployment: {} })).toEqual({
      apiVersion: 'ververica.platform/v1',
      kind: 'VvpDeployment',
      metadata: { name: 'orders', labels: { 'ververica.platform/owner': 'op-1' } },
      spec: {
        syncingMode: 'PATCH',
        deployment: { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'CANCELLED' } },
      },
    });
  });

  it('every input lands where the operator reads it', () => {
    const cr = buildCustomResource({
      name: 'orders-cr',
      namespace: 'team-a',
      labels: { team: 'a', 'ververica.platform/owner': 'other' },
      annotations: { note: 'x' },
      instanceId: 'op-1',
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'orders', namespace: 'vvp-ns' }, spec: { state: 'RUNNING' } },
      initFields: { spec: { parallelism: 2 } } as never,
      savepointNonce: 0,
      restartNonce: 7,
      initialSavepointSpec: { savepointLocation: 's3://b/sp' },
      apikeySecretName: 'tok',
      adopt: true,
    });
    expect(cr.metadata).toEqual({
      name: 'orders-cr',
      namespace: 'team-a',
      labels: { team: 'a', 'ververica.platform/owner': 'op-1' },
      annotations: { note: 'x', apikeySecretName: 'tok', 'ververica.platform/adopt': 'true' },
    });
    expect(cr.spec).toEqual({
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'orders', namespace: 'vvp-ns' }, spec: { state: 'RUNNING' } },
      initFields: { spec: { parallelism: 2 } },
      savepointNonce: 0,
      restartNonce: 7,
      initialSavepointSpec: { savepointLocation: 's3://b/sp' },
    });
  });

  it('adopt false and no secret add no annotations', () => {
    expect(
      buildCustomResource({ name: 'a', instanceId: 'op', deployment: {}, adopt: false }).metadata,
    ).not.toHaveProperty('annotations');
  });

  it('the result shares nothing with the input', () => {
    const deployment = { metadata: { name: 'a' }, spec: { template: { spec: { parallelism: 1 } } } };
    const cr = buildCustomResource({ name: 'a', instanceId: 'op', deployment });
    deployment.spec.template.spec.parallelism = 5;
    expect(cr.spec.deployment.spec?.template?.spec?.parallelism).toBe(1);
  });

  it('the CR it builds passes core validation for its instance', () => {
    const cr = buildCustomResource({ name: 'orders', namespace: 'team-a', instanceId: 'op-1', deployment: {} });
    expect(validate(cr, undefined, { instanceId: 'op-1' })).toEqual([]);
  });
});

describe('withDeploymentDefaults', () => {
  it('fills the older userMetadata spelling instead of adding metadata', () => {
    expect(withDeploymentDefaults({ userMetadata: { name: 'legacy' } }, 'cr')).toEqual({
      userMetadata: { name: 'legacy', namespace: 'default' },
      spec: { state: 'CANCELLED' },
    });
  });
  it('keeps the values the definition names', () => {
    expect(
      withDeploymentDefaults({ metadata: { name: 'x', namespace: 'y' }, spec: { state: 'SUSPENDED' } }, 'cr'),
    ).toEqual({
      metadata: { name: 'x', namespace: 'y' },
      spec: { state: 'SUSPENDED' },
    });
  });
});

describe('impliedResourceName', () => {
  it.each([
    [{ metadata: { name: 'a' } }, 'a'],
    [{ userMetadata: { name: 'b' } }, 'b'],
    [{ spec: {} }, undefined],
    [undefined, undefined],
  ])('%j implies %s', (deployment, expected) => {
    expect(impliedResourceName(deployment)).toBe(expected);
  });
});
