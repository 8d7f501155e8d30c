/** update(): project a changed definition, wait for its state (and a new job), then run changed nonces. */
import {
  classifyChange,
  decideNonces,
  needsJobRecovery,
  deepEqual,
  messageOf,
  resolveDeployment,
  startsNewJob,
  Reasons,
  type BlockedNonce,
  type CrDeployment,
  type SavepointRecord,
  type VvpDeployment,
} from '../../core/src/index';
import { applyNonces, project, type NonceOutcome } from '../../vvp-client/src/index';
import { lastSeenBy, ResourceInitError } from './errors';
import { clean, definitionOf, observed, processedDefinitionOf, processedNonces, PROVIDER_KEY } from './inputs';
import { keptOutputs, runsAnotherJobThan, type Operation } from './operation';
import { recoverJob } from './recover';
import type { ProviderOutputs } from './types';
import { waitForSavepoint, waitForState } from './wait';

/** Updates; once VVP holds the change, a failed later step still returns the outputs (ResourceInitError). */
export async function updateResource(
  op: Operation,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: Record<string, unknown> }> {
  const { inputs, ref, subject } = op;
  const processed = processedNonces(olds);
  const summary = classifyChange(processedDefinitionOf(olds), definitionOf(news));
  let d: VvpDeployment | undefined;
  let kept = keptOutputs(op, olds.fieldsNotKept);
  const partial = (x: VvpDeployment, extra: Partial<ProviderOutputs> = {}): ProviderOutputs => ({
    ...inputs,
    ...observed(inputs, ref.deployment, x),
    ...kept,
    lastChange: summary.change,
    ...(olds.lastSavepoint !== undefined ? { lastSavepoint: olds.lastSavepoint as SavepointRecord } : {}),
    ...(processed.savepoint !== undefined ? { lastProcessedSavepointNonce: processed.savepoint } : {}),
    ...(processed.restart !== undefined ? { lastProcessedRestartNonce: processed.restart } : {}),
    ...extra,
  });
  // a template change of a running job makes VVP start a new one: the wait then also waits for the new job id
  let upgradeFrom: string | undefined;
  if (summary.specChanged) {
    const old = resolveDeployment(olds.deployment as CrDeployment);
    d = await project(op.flow, {
      ref,
      mode: inputs.syncingMode,
      desired: ref.deployment,
      ownership: op.ownership,
      fromState: old.spec?.state,
    });
    if (
      startsNewJob({
        templateChanged: !deepEqual(old.spec?.template, ref.deployment.spec?.template),
        specState: d.spec.state,
        actualState: d.status?.state,
        upgradeStrategy: d.spec.upgradeStrategy?.kind,
      })
    )
      upgradeFrom = d.status?.running?.jobId;
    op.deps.log.info(`${subject}: projected the definition (${inputs.syncingMode}, change ${summary.change})`);
    kept = keptOutputs(op, olds.fieldsNotKept);
  }
  try {
    d ??= await op.client.getDeployment(ref.namespace, ref.name);
    // a job that ended while RUNNING is desired is never reported as success: recover it once (ADR 0008)
    if (needsJobRecovery(ref.deployment.spec?.state, d.status?.state)) d = await recoverJob(op, d);
    else if (summary.specChanged && op.waitsForState) {
      d = await waitForState(op.wait, ref, {
        desired: d.spec.state ?? 'CANCELLED',
        deadline: op.deadline,
        initial: d,
        staleState: d.status?.state,
        ...(upgradeFrom !== undefined
          ? { until: runsAnotherJobThan(upgradeFrom), goal: 'the upgraded job to be RUNNING' }
          : {}),
      });
    }
    if (!summary.savepointNonceChanged && !summary.restartNonceChanged)
      return { outs: clean(partial(d, { blockedNonces: [] })) };
    const decisions = decideNonces(
      {
        savepoint: { desired: inputs.savepointNonce, processed: processed.savepoint },
        restart: { desired: inputs.restartNonce, processed: processed.restart },
      },
      { spec: d.spec.state, actual: d.status?.state },
    );
    const run = await runNonces(op, d, decisions);
    d = run.deployment;
    const sp = decisions.find((x) => x.kind === 'savepoint')!;
    const rs = decisions.find((x) => x.kind === 'restart')!;
    const lastSavepoint = run.outcomes.find((o) => o.result === 'savepoint')?.savepoint;
    return {
      outs: clean(
        partial(d, {
          blockedNonces: run.outcomes.filter((o) => o.result === 'blocked').map(blockedOf),
          ...(lastSavepoint ? { lastSavepoint } : {}),
          ...(sp.record !== undefined ? { lastProcessedSavepointNonce: sp.record } : {}),
          ...(rs.record !== undefined ? { lastProcessedRestartNonce: rs.record } : {}),
        }),
      ),
    };
  } catch (err) {
    if (!d) throw err;
    throw new ResourceInitError(
      messageOf(err),
      id,
      { ...clean(partial(lastSeenBy(err, d))), [PROVIDER_KEY]: news[PROVIDER_KEY] },
      [messageOf(err)],
      { cause: err },
    );
  }
}

function blockedOf(o: NonceOutcome): BlockedNonce {
  const d = o.decision;
  return {
    kind: d.kind,
    ...(d.value !== undefined ? { value: d.value } : {}),
    reason: `${d.kind === 'savepoint' ? Reasons.SavepointBlocked : Reasons.RestartBlocked}: ${d.reason ?? ''}`,
  };
}

/** The shared nonce loop, waiting for the savepoint (waitFor.savepoint) and the restarted job (waitFor.state). */
async function runNonces(op: Operation, d: VvpDeployment, decisions: ReturnType<typeof decideNonces>) {
  const { ref, subject, inputs } = op;
  const run = await applyNonces(
    op.flow,
    { ref, deployment: d, decisions, ownership: op.ownership, now: () => new Date(op.now()), failFast: true },
    {
      savepointTriggered: async (sp, record) => {
        op.deps.log.info(`${subject}: triggered savepoint ${sp.metadata.id} (savepointNonce ${record.nonce})`);
        if (inputs.waitFor?.savepoint !== true) return;
        const done = await waitForSavepoint(op.wait, ref.namespace, sp, { deadline: op.deadline });
        record.state = done.status?.state ?? 'COMPLETED';
        if (done.spec.savepointLocation) record.location = done.spec.savepointLocation;
      },
      restartTriggered: async (next, previousJob) => {
        op.deps.log.info(`${subject}: triggered a job restart (restartNonce ${inputs.restartNonce})`);
        if (!op.waitsForState) return next;
        return waitForState(op.wait, ref, {
          desired: 'RUNNING',
          deadline: op.deadline,
          initial: next,
          staleState: next.status?.state,
          until: runsAnotherJobThan(previousJob),
          goal: 'the restarted job to be RUNNING',
        });
      },
    },
  );
  for (const o of run.outcomes) if (o.result === 'blocked') op.deps.log.warn(`${subject}: ${blockedOf(o).reason}`);
  return run;
}
