import { driftPaths, observedDefinition, overlayDrift } from '../src/drift';
import { refreshedDefinition } from '../src/sync/index';
import type { VvpDeployment } from '../src/model/deployment';
import { settingsIssues } from '../src/resource-settings';

const actual = (
  over: Partial<VvpDeployment['spec']> = {},
  meta: Partial<VvpDeployment['metadata']> = {},
): VvpDeployment => ({
  metadata: {
    id: 'd-1',
    name: 'orders',
    namespace: 'default',
    description: 'kept by VVP',
    resourceVersion: 7,
    createdAt: 't0',
    modifiedAt: 't1',
    labels: { 'ververica.platform/owner': 'pulumi', team: 'a' },
    annotations: {
      'ververica.platform/urn': 'urn:x',
      'com.dataartisans.appmanager.controller.deployment.spec.version': '3',
      note: 'n',
    },
    ...meta,
  },
  spec: {
    state: 'RUNNING',
    deploymentTargetName: 'default',
    maxJobCreationAttempts: 4,
    template: {
      metadata: { annotations: { 'ververica.platform/restart-nonce': '2' } },
      spec: { parallelism: 2, artifact: { kind: 'JAR', jarUri: 's3://a.jar' } },
    },
    ...over,
  },
  status: { state: 'RUNNING' },
});

describe('observedDefinition', () => {
  it('leaves out server metadata, the ownership stamp, system annotations and the restart nonce', () => {
    expect(observedDefinition(actual(), { withDescription: false })).toEqual({
      metadata: { name: 'orders', namespace: 'default', labels: { team: 'a' }, annotations: { note: 'n' } },
      spec: {
        state: 'RUNNING',
        deploymentTargetName: 'default',
        maxJobCreationAttempts: 4,
        template: { spec: { parallelism: 2, artifact: { kind: 'JAR', jarUri: 's3://a.jar' } } },
      },
    });
  });
  it('keeps the description when asked to', () => {
    expect(observedDefinition(actual(), { withDescription: true }).metadata?.description).toBe('kept by VVP');
  });
});

describe('refreshedDefinition', () => {
  const desired = {
    metadata: { name: 'orders', namespace: 'default' },
    spec: { state: 'RUNNING' as const, template: { spec: { parallelism: 1 } } },
  };
  it('PATCH mode reads back only the leaves the definition names', () => {
    expect(refreshedDefinition('PATCH', desired, actual())).toEqual({
      metadata: { name: 'orders', namespace: 'default' },
      spec: { state: 'RUNNING', template: { spec: { parallelism: 2 } } },
    });
  });
  it('PATCH mode drops a managed leaf VVP no longer has', () => {
    const d = actual();
    delete d.spec.template!.spec!.parallelism;
    expect(refreshedDefinition('PATCH', desired, d).spec).toEqual({ state: 'RUNNING' });
  });
  it('PUT mode reads back every field, without the description', () => {
    const r = refreshedDefinition('PUT', desired, actual());
    expect(r.spec?.maxJobCreationAttempts).toBe(4);
    expect(r.metadata?.description).toBeUndefined();
  });
  it('driftPaths names each differing leaf', () => {
    expect(driftPaths(desired, refreshedDefinition('PATCH', desired, actual()))).toEqual([
      'spec.template.spec.parallelism',
    ]);
    expect(driftPaths(desired, desired)).toEqual([]);
  });
});

describe('drift with keys that hold dots', () => {
  const flink = (conf: Record<string, string>): VvpDeployment =>
    actual({ template: { spec: { flinkConfiguration: conf } } });
  it('PATCH mode reads back a Flink configuration key that holds dots', () => {
    const desired = { spec: { template: { spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' } } } } };
    expect(refreshedDefinition('PATCH', desired, flink({ 'taskmanager.numberOfTaskSlots': '4', other: 'x' }))).toEqual({
      spec: { template: { spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '4' } } } },
    });
  });
  it('names such keys in brackets', () => {
    const before = refreshedDefinition('PUT', {}, flink({}));
    const now = refreshedDefinition('PUT', {}, flink({ 'a.b': '1' }));
    expect(driftPaths(before, now)).toEqual(['spec.template.spec.flinkConfiguration["a.b"]']);
  });
});

describe('overlayDrift', () => {
  it('takes exactly the leaves that changed in VVP into the desired definition, and removes dropped ones', () => {
    const desired = {
      spec: { state: 'RUNNING' as const, maxJobCreationAttempts: 2, template: { spec: { parallelism: 1 } } },
    };
    const before = {
      spec: {
        state: 'RUNNING' as const,
        maxJobCreationAttempts: 2,
        maxSavepointCreationAttempts: 4,
        template: { spec: { parallelism: 1 } },
      },
    };
    const now = {
      spec: {
        state: 'RUNNING' as const,
        maxSavepointCreationAttempts: 4,
        template: { spec: { parallelism: 1, flinkConfiguration: { 'a.b': '1' } } },
      },
    };
    expect(overlayDrift(desired, before, now)).toEqual({
      spec: { state: 'RUNNING', template: { spec: { parallelism: 1, flinkConfiguration: { 'a.b': '1' } } } },
    });
  });
});

describe('settingsIssues', () => {
  const subject = 'deployment default/orders';
  it('accepts valid settings and none at all', () => {
    expect(settingsIssues({}, { subject })).toEqual([]);
    expect(
      settingsIssues(
        {
          waitFor: { state: true, savepoint: true, timeoutSeconds: 30 },
          deletionPolicy: 'cancel',
          adopt: true,
          baseUrl: 'http://127.0.0.1:8080',
          apiToken: 't',
        },
        { subject },
      ),
    ).toEqual([]);
  });
  it('reports every bad setting with its path, naming the value but never the token', () => {
    const issues = settingsIssues(
      { waitFor: { state: 'yes', timeoutSeconds: -1 }, deletionPolicy: 'drop', adopt: 1, baseUrl: 'vvp', apiToken: '' },
      { subject },
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      'adopt',
      'apiToken',
      'baseUrl',
      'deletionPolicy',
      'waitFor.state',
      'waitFor.timeoutSeconds',
    ]);
    expect(issues.find((i) => i.path === 'deletionPolicy')?.message).toBe(
      'deployment default/orders: `deletionPolicy` must be one of requireInactive, cancel, suspend, retain (got "drop")',
    );
  });
});
