import {
  buildCreateBody,
  buildPatchBody,
  buildPutBody,
  buildRestartPatch,
  definitionDigest,
  initFieldsOverlap,
  resolveDeployment,
  syncModes,
} from '../../src/sync/index';
import { operatorOwnership, pulumiOwnership } from '../../src/ownership';
import type { Deployment } from '../../src/model/generated';
import type { VvpDeployment } from '../../src/model/deployment';

const own = operatorOwnership('op-1', 'uid-1');
const deployment: Deployment = {
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    state: 'CANCELLED',
    deploymentTargetName: 'default',
    template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://a.jar' }, parallelism: 2 } },
  },
};

describe('create body', () => {
  it('merges initFields under the deployment, and the deployment wins on overlap', () => {
    const initFields: Deployment = {
      spec: { template: { spec: { parallelism: 8, resources: { jobmanager: { cpu: 1, memory: '2g' } } } } },
    };
    const body = buildCreateBody(deployment, initFields, own);
    expect(body.spec?.template?.spec?.parallelism).toBe(2);
    expect(body.spec?.template?.spec?.resources?.jobmanager).toEqual({ cpu: 1, memory: '2g' });
    expect(initFieldsOverlap(deployment, initFields)).toEqual(['spec.template.spec.parallelism']);
  });

  it('finds overlaps of Flink configuration keys that contain dots', () => {
    const withConf: Deployment = {
      spec: { template: { spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2', 'a.b': '1' } } } },
    };
    const init: Deployment = {
      spec: { template: { spec: { flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '4', 'c.d': '1' } } } },
    };
    expect(initFieldsOverlap(withConf, init)).toEqual([
      'spec.template.spec.flinkConfiguration["taskmanager.numberOfTaskSlots"]',
    ]);
  });

  it('stamps the owner label and the back reference', () => {
    const body = buildCreateBody(deployment, undefined, own);
    expect(body.metadata?.labels).toEqual({ 'ververica.platform/owner': 'op-1' });
    expect(body.metadata?.annotations).toEqual({ 'ververica.platform/cr-uid': 'uid-1' });
    const pulumi = buildCreateBody(deployment, undefined, pulumiOwnership('urn:x'));
    expect(pulumi.metadata?.labels).toEqual({ 'ververica.platform/owner': 'pulumi' });
    expect(pulumi.metadata?.annotations).toEqual({ 'ververica.platform/urn': 'urn:x' });
  });

  it('PUT mode never uses initFields and creates with PUT', () => {
    expect(syncModes.PUT.createMethod).toBe('PUT');
    expect(syncModes.PATCH.createMethod).toBe('POST');
    const body = syncModes.PUT.createBody(deployment, { spec: { template: { spec: { parallelism: 8 } } } }, own);
    expect(body.spec?.template?.spec?.parallelism).toBe(2);
    expect(syncModes.PUT.usesInitFields).toBe(false);
  });
});

describe('PATCH body', () => {
  it('holds only the fields the definition names, plus the stamp', () => {
    const body = buildPatchBody(
      { metadata: { name: 'orders', namespace: 'default' }, spec: { state: 'RUNNING' } },
      own,
    );
    expect(body).toEqual({
      metadata: {
        name: 'orders',
        namespace: 'default',
        labels: { 'ververica.platform/owner': 'op-1' },
        annotations: { 'ververica.platform/cr-uid': 'uid-1' },
      },
      spec: { state: 'RUNNING' },
    });
    expect(syncModes.PATCH.readsBeforeProject).toBe(false);
  });
});

describe('PUT body', () => {
  const current: VvpDeployment = {
    metadata: {
      id: 'id-1',
      name: 'orders',
      namespace: 'default',
      description: 'kept',
      annotations: {
        'com.dataartisans.appmanager.controller.deployment.spec.version': '7',
        'ververica.platform/cr-uid': 'uid-1',
        'user.io/note': 'dropped',
      },
    },
    spec: { template: { metadata: { annotations: { 'ververica.platform/restart-nonce': '3' } } } },
  };

  it('carries system annotations and the description of the current deployment, and drops user annotations', () => {
    const body = buildPutBody(
      { ...deployment, metadata: { ...deployment.metadata, description: 'ignored' } },
      current,
      own,
    );
    expect(body.metadata?.annotations).toEqual({
      'com.dataartisans.appmanager.controller.deployment.spec.version': '7',
      'ververica.platform/cr-uid': 'uid-1',
    });
    expect(body.metadata?.description).toBe('kept');
    expect(syncModes.PUT.readsBeforeProject).toBe(true);
  });

  it('carries the restart-nonce template annotation so a later PUT does not restart again', () => {
    const body = buildPutBody(deployment, current, own);
    expect(body.spec?.template?.metadata?.annotations).toEqual({ 'ververica.platform/restart-nonce': '3' });
    expect(body.spec?.template?.spec?.parallelism).toBe(2);
  });

  it('drops a description when the current deployment has none', () => {
    const body = buildPutBody(
      { metadata: { name: 'orders', namespace: 'default', description: 'x' } },
      { ...current, metadata: { id: 'i', name: 'orders', namespace: 'default' } },
      own,
    );
    expect(body.metadata?.description).toBeUndefined();
  });
});

describe('helpers', () => {
  it('a restart is a template annotation holding the nonce', () => {
    expect(buildRestartPatch(4)).toEqual({
      spec: { template: { metadata: { annotations: { 'ververica.platform/restart-nonce': '4' } } } },
    });
  });
  it('userMetadata is an alias of metadata', () => {
    expect(resolveDeployment({ userMetadata: { name: 'a', namespace: 'b' } }).metadata).toEqual({
      name: 'a',
      namespace: 'b',
    });
    expect(resolveDeployment({ metadata: { name: 'm' }, userMetadata: { name: 'u' } }).metadata).toEqual({ name: 'm' });
  });
});

describe('definition digest', () => {
  it('ignores key order and changes with the definition or the mode', () => {
    const a = definitionDigest('PUT', { metadata: { name: 'a', namespace: 'b' }, spec: { state: 'RUNNING' } });
    const reordered = definitionDigest('PUT', { spec: { state: 'RUNNING' }, metadata: { namespace: 'b', name: 'a' } });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(reordered).toBe(a);
    expect(definitionDigest('PATCH', { metadata: { name: 'a', namespace: 'b' }, spec: { state: 'RUNNING' } })).not.toBe(
      a,
    );
    expect(definitionDigest('PUT', { metadata: { name: 'a', namespace: 'b' }, spec: { state: 'CANCELLED' } })).not.toBe(
      a,
    );
  });
});
