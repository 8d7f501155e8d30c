/** check and diff of the platform resources: the table's types, defaults, immutable fields (replace), settings. */
import {
  DEPLOYMENT_DEFAULTS_RULES,
  DEPLOYMENT_TARGET_RULES,
  SAVEPOINT_RULES,
  SECRET_VALUE_RULES,
  SESSION_CLUSTER_RULES,
  checkPlatform,
  diffPlatform,
  managedLeaves,
  pickManaged,
} from '../../src/index';

const target = { name: 'jobs', kubernetesNamespace: 'vvp-jobs' };
const cluster = { name: 'shared', deploymentTargetName: 'jobs', flinkVersion: '1.17', numberOfTaskManagers: 1 };
const secret = { name: 'db-password', value: 'hunter2-s3cr3t' };
const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

describe('checkPlatform', () => {
  it('accepts the minimal inputs of each resource', () => {
    expect(checkPlatform(DEPLOYMENT_TARGET_RULES, target)).toEqual([]);
    expect(checkPlatform(SESSION_CLUSTER_RULES, cluster)).toEqual([]);
    expect(checkPlatform(SECRET_VALUE_RULES, secret)).toEqual([]);
    expect(checkPlatform(DEPLOYMENT_DEFAULTS_RULES, { spec: { parallelism: 2 } })).toEqual([]);
    expect(checkPlatform(SAVEPOINT_RULES, { deploymentName: 'orders' })).toEqual([]);
  });

  it('names the missing, mistyped and unknown inputs with the object and the value', () => {
    const issues = checkPlatform(DEPLOYMENT_TARGET_RULES, { name: 'Jobs_1', labels: { a: 1 }, kubernetesNs: 'x' });
    expect(paths(issues).sort()).toEqual(['kubernetesNamespace', 'kubernetesNs', 'labels', 'name']);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath.name).toBe(
      'deployment target default/Jobs_1: `name` must be a lowercase DNS label (a-z, 0-9 and "-", at most 63 characters, starting and ending alphanumeric) (got "Jobs_1")',
    );
    expect(byPath.kubernetesNs).toContain(
      'unknown input `kubernetesNs`; the inputs are name, namespace, kubernetesNamespace',
    );
    expect(byPath.kubernetesNamespace).toBe('deployment target default/Jobs_1: `kubernetesNamespace` is required');
  });

  it('checks enums and ranges of a session cluster', () => {
    const issues = checkPlatform(SESSION_CLUSTER_RULES, { ...cluster, state: 'running' });
    expect(issues.map((i) => i.message)).toEqual([
      'session cluster default/shared: `state` must be one of RUNNING, STOPPED (got "running")',
    ]);
    expect(checkPlatform(SESSION_CLUSTER_RULES, { ...cluster, numberOfTaskManagers: 0 })[0]!.message).toBe(
      'session cluster default/shared: `numberOfTaskManagers` must be at least 1 (got 0)',
    );
  });

  it('never shows a secret value, even when it is mistyped', () => {
    const issues = checkPlatform(SECRET_VALUE_RULES, { name: 'db', value: { nested: 'hunter2-s3cr3t' } });
    expect(issues.map((i) => i.message)).toEqual([
      'secret value default/db: `value` must be a string (got a value not shown)',
    ]);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  it('checks the connection and the savepoint deletion policy', () => {
    const issues = checkPlatform(SAVEPOINT_RULES, {
      deploymentName: 'orders',
      deletionPolicy: 'cancel',
      baseUrl: 'ftp://x',
    });
    expect(paths(issues).sort()).toEqual(['baseUrl', 'deletionPolicy']);
    expect(issues.find((i) => i.path === 'deletionPolicy')!.message).toBe(
      'savepoint of deployment default/orders: `deletionPolicy` must be one of retain, delete (got "cancel")',
    );
  });

  it('refuses deployment defaults that name no field', () => {
    expect(checkPlatform(DEPLOYMENT_DEFAULTS_RULES, { spec: {} })[0]!.message).toContain('`spec` names no field');
  });

  it('lets the injected keys through', () => {
    expect(checkPlatform(SECRET_VALUE_RULES, { ...secret, resourceUrn: 'urn:x' }, ['resourceUrn'])).toEqual([]);
    expect(checkPlatform(SECRET_VALUE_RULES, { ...secret, __defaults: [] })).toEqual([]);
  });
});

describe('diffPlatform', () => {
  it('treats an absent input and its default alike', () => {
    expect(
      diffPlatform(SESSION_CLUSTER_RULES, cluster, { ...cluster, namespace: 'default', state: 'RUNNING' }).changed,
    ).toEqual([]);
  });

  it('replaces a deployment target whose spec changes, deleting first (same name)', () => {
    const d = diffPlatform(DEPLOYMENT_TARGET_RULES, target, { ...target, kubernetesNamespace: 'other' });
    expect(d).toEqual({
      changed: ['kubernetesNamespace'],
      replaces: ['kubernetesNamespace'],
      settingsOnly: false,
      deleteBeforeReplace: true,
    });
    const renamed = diffPlatform(DEPLOYMENT_TARGET_RULES, target, { ...target, name: 'jobs-2' });
    expect(renamed.deleteBeforeReplace).toBe(false);
    expect(diffPlatform(DEPLOYMENT_TARGET_RULES, target, { ...target, labels: { team: 'a' } }).replaces).toEqual([]);
  });

  it('updates a session cluster in place except for its target', () => {
    const edit = diffPlatform(SESSION_CLUSTER_RULES, cluster, {
      ...cluster,
      numberOfTaskManagers: 2,
      state: 'STOPPED',
    });
    expect(edit).toMatchObject({ changed: ['state', 'numberOfTaskManagers'], replaces: [] });
    expect(diffPlatform(SESSION_CLUSTER_RULES, cluster, { ...cluster, deploymentTargetName: 'b' }).replaces).toEqual([
      'deploymentTargetName',
    ]);
  });

  it('rewrites a secret value on a new value or valueVersion, and a token change is a setting', () => {
    expect(diffPlatform(SECRET_VALUE_RULES, secret, { ...secret, valueVersion: 2 })).toMatchObject({
      changed: ['valueVersion'],
      settingsOnly: false,
    });
    expect(diffPlatform(SECRET_VALUE_RULES, secret, { ...secret, apiToken: 't' })).toMatchObject({
      settingsOnly: true,
    });
  });

  it('replaces a savepoint on any input but the settings', () => {
    const sp = { deploymentName: 'orders' };
    expect(diffPlatform(SAVEPOINT_RULES, sp, { deploymentName: 'other' }).replaces).toEqual(['deploymentName']);
    expect(diffPlatform(SAVEPOINT_RULES, sp, { ...sp, deletionPolicy: 'delete' })).toMatchObject({
      replaces: [],
      settingsOnly: true,
    });
    expect(diffPlatform(SAVEPOINT_RULES, sp, { ...sp, deletionPolicy: 'retain' }).changed).toEqual([]);
  });

  it('changes deployment defaults in place, and moves them when the namespace changes', () => {
    const d = { spec: { parallelism: 1 } };
    expect(diffPlatform(DEPLOYMENT_DEFAULTS_RULES, d, { spec: { parallelism: 2 } })).toMatchObject({
      changed: ['spec'],
      replaces: [],
    });
    expect(diffPlatform(DEPLOYMENT_DEFAULTS_RULES, d, { ...d, namespace: 'team-a' }).replaces).toEqual(['namespace']);
  });
});

describe('managed defaults', () => {
  it('lists the managed leaves and picks them from what VVP holds', () => {
    const managed = { restoreStrategy: { kind: 'LATEST_STATE' }, parallelism: 2 };
    expect(managedLeaves(managed)).toEqual(['restoreStrategy.kind', 'parallelism']);
    const vvp = {
      restoreStrategy: { kind: 'NONE', allowNonRestoredState: false },
      parallelism: 2,
      maxJobCreationAttempts: 4,
    };
    expect(pickManaged(vvp, managed)).toEqual({ restoreStrategy: { kind: 'NONE' }, parallelism: 2 });
  });
});
