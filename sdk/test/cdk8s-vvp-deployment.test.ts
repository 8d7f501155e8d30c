import { Chart, Testing } from 'cdk8s';
import { errorsOf, validate, warningsOf } from '../../core/src/index';
import { imports, renderIssue, VvpDeployment, type VvpDeploymentProps } from '../src/cdk8s/index';

const OWNER = 'ververica.platform/owner';

const putDeployment = {
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    state: 'CANCELLED' as const,
    deploymentTargetName: 'default',
    upgradeStrategy: { kind: 'STATEFUL' as const },
    restoreStrategy: { kind: 'LATEST_STATE' as const },
    template: {
      spec: {
        artifact: { kind: 'JAR' as const, jarUri: 's3://bucket/orders.jar' },
        parallelism: 2,
        resources: { jobmanager: { cpu: 1, memory: '1g' }, taskmanager: { cpu: 2, memory: '4g' } },
      },
    },
  },
};

function chart(namespace = 'team-a'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function synthOne(props: Partial<VvpDeploymentProps> = {}, namespace?: string) {
  const c = chart(namespace);
  const d = new VvpDeployment(c, 'orders', {
    instanceId: 'op-1',
    deployment: {
      metadata: { name: 'orders' },
      spec: { template: { spec: { artifact: { kind: 'JAR', jarUri: 's3://b/o.jar' } } } },
    },
    onWarning: () => undefined,
    ...props,
  });
  const [cr] = Testing.synth(c);
  return { cr, construct: d, chart: c };
}

function synthError(c: Chart): string {
  try {
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

describe('VvpDeployment construct: the emitted custom resource', () => {
  it('a minimal construct emits a PATCH CR owned by the instance, with the deployment created CANCELLED in VVP namespace default', () => {
    const { cr } = synthOne();
    expect(cr.apiVersion).toBe('ververica.platform/v1');
    expect(cr.kind).toBe('VvpDeployment');
    expect(cr.metadata).toEqual({ name: 'orders', namespace: 'team-a', labels: { [OWNER]: 'op-1' } });
    expect(cr.spec.syncingMode).toBe('PATCH');
    expect(cr.spec.deployment.metadata).toEqual({ name: 'orders', namespace: 'default' });
    expect(cr.spec.deployment.spec.state).toBe('CANCELLED');
    expect(cr.spec).not.toHaveProperty('savepointNonce');
    expect(cr.spec).not.toHaveProperty('initFields');
  });

  it('values the user sets win over the defaults', () => {
    const { cr } = synthOne({
      metadata: { name: 'orders-cr', namespace: 'team-b', labels: { team: 'b' } },
      syncingMode: 'PUT',
      deployment: putDeployment,
    });
    expect(cr.metadata).toEqual({ name: 'orders-cr', namespace: 'team-b', labels: { team: 'b', [OWNER]: 'op-1' } });
    expect(cr.spec.syncingMode).toBe('PUT');
    expect(cr.spec.deployment).toEqual(putDeployment);
  });

  it('the owner label always equals instanceId, even when metadata labels name another owner', () => {
    const { cr } = synthOne({ metadata: { labels: { [OWNER]: 'someone-else' } } });
    expect(cr.metadata.labels[OWNER]).toBe('op-1');
  });

  it('without any name the CR and the VVP deployment share a name derived from the construct path', () => {
    const { cr } = synthOne({ deployment: { spec: { state: 'RUNNING' } } });
    expect(cr.metadata.name).toMatch(/^test-orders-[0-9a-f]{8}$/);
    expect(cr.spec.deployment.metadata.name).toBe(cr.metadata.name);
    expect(cr.spec.deployment.spec.state).toBe('RUNNING');
  });

  it('the older userMetadata spelling gets the defaults instead of a second metadata block', () => {
    const { cr } = synthOne({ deployment: { userMetadata: { name: 'legacy' } } });
    expect(cr.spec.deployment.userMetadata).toEqual({ name: 'legacy', namespace: 'default' });
    expect(cr.spec.deployment).not.toHaveProperty('metadata');
    expect(cr.metadata.name).toBe('legacy');
  });

  it('apikeySecretName and adopt become the annotations the operator reads', () => {
    const { cr } = synthOne({ apikeySecretName: 'vvp-token', adopt: true, metadata: { annotations: { note: 'x' } } });
    expect(cr.metadata.annotations).toEqual({
      apikeySecretName: 'vvp-token',
      'ververica.platform/adopt': 'true',
      note: 'x',
    });
  });

  it('adopt false emits no adopt annotation', () => {
    const { cr } = synthOne({ adopt: false });
    expect(cr.metadata.annotations).toBeUndefined();
  });

  it('initFields, nonces and initialSavepointSpec are emitted as given', () => {
    const initFields = { spec: { template: { spec: { resources: { taskmanager: { cpu: 2, memory: '4g' } } } } } };
    const { cr } = synthOne({
      initFields,
      savepointNonce: 3,
      restartNonce: 0,
      initialSavepointSpec: { savepointLocation: 's3://b/sp-1' },
    });
    expect(cr.spec.initFields).toEqual(initFields);
    expect(cr.spec.savepointNonce).toBe(3);
    expect(cr.spec.restartNonce).toBe(0);
    expect(cr.spec.initialSavepointSpec).toEqual({ savepointLocation: 's3://b/sp-1' });
  });

  it('unknown VVP fields pass through to the CR (the CRD preserves them)', () => {
    const deployment = {
      metadata: { name: 'orders' },
      spec: { futureField: { nested: [1, 2] } },
    } as VvpDeploymentProps['deployment'];
    const { cr } = synthOne({ deployment });
    expect(cr.spec.deployment.spec.futureField).toEqual({ nested: [1, 2] });
  });

  it('later changes to the props object do not leak into the CR', () => {
    const deployment = { metadata: { name: 'orders' }, spec: { state: 'CANCELLED' as const } };
    const c = chart();
    new VvpDeployment(c, 'orders', { instanceId: 'op-1', deployment });
    deployment.spec.state = 'RUNNING' as 'CANCELLED';
    expect(Testing.synth(c)[0].spec.deployment.spec.state).toBe('CANCELLED');
  });
});

describe('VvpDeployment construct: nonce helpers', () => {
  it('bumpSavepoint turns an unset nonce into 1 and the synthesized CR carries it', () => {
    const c = chart();
    const d = new VvpDeployment(c, 'orders', { instanceId: 'op-1', deployment: { metadata: { name: 'orders' } } });
    expect(d.bumpSavepoint()).toBe(1);
    expect(d.savepointNonce).toBe(1);
    expect(Testing.synth(c)[0].spec.savepointNonce).toBe(1);
  });

  it('bumpRestart changes the restart nonce by one from its current value', () => {
    const c = chart();
    const d = new VvpDeployment(c, 'orders', {
      instanceId: 'op-1',
      deployment: { metadata: { name: 'orders' } },
      restartNonce: 41,
    });
    d.bumpRestart();
    expect(d.restartNonce).toBe(42);
    const [cr] = Testing.synth(c);
    expect(cr.spec.restartNonce).toBe(42);
    expect(cr.spec).not.toHaveProperty('savepointNonce');
  });

  it('a bump after construction emits the same spec, key order included, as declaring that nonce up front', () => {
    const props = {
      instanceId: 'op-1',
      deployment: { metadata: { name: 'orders' } },
      initFields: { spec: { template: { spec: { parallelism: 2 } } } },
      initialSavepointSpec: { savepointLocation: 's3://b/sp-1' },
    };
    const bumped = chart();
    new VvpDeployment(bumped, 'orders', props).bumpSavepoint();
    const declared = chart();
    new VvpDeployment(declared, 'orders', { ...props, savepointNonce: 1 });
    expect(JSON.stringify(Testing.synth(bumped))).toBe(JSON.stringify(Testing.synth(declared)));
  });

  it('validation at synth sees the owner label as it is at synth time, not as it was at construction', () => {
    const c = chart();
    const d = new VvpDeployment(c, 'orders', { instanceId: 'op-1', deployment: { metadata: { name: 'orders' } } });
    d.resource.metadata.addLabel(OWNER, 'someone-else');
    expect(errorsOf(d.issues()).map((i) => i.path)).toEqual([`metadata.labels["${OWNER}"]`]);
    expect(() => Testing.synth(c)).toThrow(/someone-else/);
  });
});

describe('VvpDeployment construct: validation at synth (the same core validate as the webhook)', () => {
  it('a PUT construct missing mandatory fields fails synth listing every missing field with its path', () => {
    const c = chart();
    const d = new VvpDeployment(c, 'orders', {
      instanceId: 'op-1',
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'orders' }, spec: { template: { spec: { artifact: { kind: 'JAR' } } } } },
    });
    const message = synthError(c);
    expect(message).toMatch(/^Validation failed with the following errors:/);
    const expected = errorsOf(d.issues());
    expect(expected.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'spec.deployment.spec.upgradeStrategy.kind',
        'spec.deployment.spec.restoreStrategy.kind',
        'spec.deployment.spec.template.spec.artifact.jarUri',
        'spec.deployment.spec.template.spec.parallelism',
        'spec.deployment.spec.template.spec.resources.taskmanager.memory',
      ]),
    );
    for (const issue of expected) expect(message).toContain(`[test/orders] ${renderIssue(issue)}`);
    expect(message).toContain(
      'PUT mode requires `deployment.spec.template.spec.parallelism`; add the field or switch syncingMode to PATCH',
    );
  });

  it('synth reports exactly the errors core validate finds in the emitted CR', () => {
    const c = chart();
    new VvpDeployment(c, 'bad', {
      instanceId: 'op-1',
      syncingMode: 'PUT',
      deployment: { metadata: { name: 'Bad_Name' } },
      savepointNonce: 1.5,
    });
    const message = synthError(c);
    const cr = {
      metadata: { name: 'Bad_Name', namespace: 'team-a', labels: { [OWNER]: 'op-1' } },
      spec: {
        syncingMode: 'PUT',
        deployment: { metadata: { name: 'Bad_Name', namespace: 'default' }, spec: { state: 'CANCELLED' } },
        savepointNonce: 1.5,
      },
    };
    const errors = errorsOf(validate(cr, undefined, { instanceId: 'op-1' }));
    expect(errors.map((e) => e.code)).toEqual(
      expect.arrayContaining(['name-invalid', 'nonce-invalid', 'put-mandatory']),
    );
    expect(
      message
        .split('\n')
        .slice(1)
        .map((l) => l.trim()),
    ).toEqual(errors.map((e) => `[test/bad] ${renderIssue(e)}`));
  });

  it('PUT with initFields fails synth because a CR is created with them', () => {
    const c = chart();
    new VvpDeployment(c, 'orders', {
      instanceId: 'op-1',
      syncingMode: 'PUT',
      deployment: putDeployment,
      initFields: { spec: { state: 'RUNNING' } },
    });
    expect(synthError(c)).toContain('`initFields` are not supported in PUT mode');
  });

  it('problems of several constructs are listed together', () => {
    const c = chart();
    new VvpDeployment(c, 'a', { instanceId: 'op-1', deployment: { metadata: { name: 'a' } }, restartNonce: 0.5 });
    new VvpDeployment(c, 'b', { instanceId: 'op-1', deployment: { metadata: { name: 'b' } }, savepointNonce: 2 ** 60 });
    const message = synthError(c);
    expect(message).toContain('[test/a] ');
    expect(message).toContain('[test/b] ');
  });

  it('a valid construct has no issues', () => {
    const { construct } = synthOne({ syncingMode: 'PUT', deployment: putDeployment });
    expect(construct.issues()).toEqual([]);
  });

  it('warnings do not fail synth and reach onWarning once each', () => {
    const warnings: string[] = [];
    const c = chart();
    const d = new VvpDeployment(c, 'orders', {
      instanceId: 'op-1',
      deployment: { metadata: { name: 'orders' }, spec: { template: { spec: { parallelism: 2 } } } },
      initFields: { spec: { template: { spec: { parallelism: 1 } } } },
      onWarning: (w) => warnings.push(w),
    });
    Testing.synth(c);
    Testing.synth(c);
    const expected = warningsOf(d.issues()).map(renderIssue);
    expect(expected).toHaveLength(1);
    expect(warnings).toEqual(expected);
    expect(warnings[0]).toContain(
      '`initFields.spec.template.spec.parallelism` is also set in `deployment.spec.template.spec.parallelism`',
    );
  });

  it('a field schema.json does not know is synthesized as written, with a did-you-mean warning (ADR 0011)', () => {
    const warnings: string[] = [];
    const c = chart();
    new VvpDeployment(c, 'orders', {
      instanceId: 'op-1',
      deployment: { metadata: { name: 'orders' }, spec: { template: { spec: { paralellism: 2 } as never } } },
      onWarning: (w) => warnings.push(w),
    });
    const [cr] = Testing.synth(c);
    expect(cr.spec.deployment.spec.template.spec.paralellism).toBe(2);
    expect(warnings).toEqual([
      expect.stringContaining('spec.template.spec.paralellism is not a known VVP field: did you mean parallelism?'),
    ]);
  });

  it('by default warnings are printed to stderr with the construct path', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const c = chart();
      new VvpDeployment(c, 'orders', {
        instanceId: 'op-1',
        syncingMode: 'PUT',
        deployment: { ...putDeployment, metadata: { ...putDeployment.metadata, description: 'ignored by PUT' } },
      });
      Testing.synth(c);
      const printed = write.mock.calls.map((args) => String(args[0]));
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(
        /^Warning: \[test\/orders\] .*PUT mode never changes `deployment.metadata.description`/,
      );
    } finally {
      write.mockRestore();
    }
  });
});

describe('low-level classes imported from the CRD', () => {
  it('agree with the typed construct on every field the CRD names', () => {
    const { cr } = synthOne({
      syncingMode: 'PUT',
      deployment: putDeployment,
      savepointNonce: 2,
      apikeySecretName: 'tok',
    });
    const c = chart();
    new imports.VvpDeployment(c, 'low', {
      metadata: { name: 'orders', labels: { [OWNER]: 'op-1' }, annotations: { apikeySecretName: 'tok' } },
      spec: {
        syncingMode: imports.VvpDeploymentSpecSyncingMode.PUT,
        savepointNonce: 2,
        deployment: putDeployment as unknown as imports.VvpDeploymentSpecDeployment,
      },
    });
    expect(Testing.synth(c)[0]).toEqual(cr);
  });

  it('drop fields the CRD does not name, which is why VvpDeployment does not render through them', () => {
    const c = chart();
    new imports.VvpDeployment(c, 'low', {
      spec: {
        syncingMode: imports.VvpDeploymentSpecSyncingMode.PATCH,
        deployment: {
          metadata: { name: 'o' },
          spec: { futureField: 1 },
        } as unknown as imports.VvpDeploymentSpecDeployment,
      },
    });
    expect(Testing.synth(c)[0].spec.deployment.spec).toEqual({});
  });
});
