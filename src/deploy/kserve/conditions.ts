import type { ComponentStatus, InferenceService, IsvcCondition } from './plan.js';

/**
 * Reading an InferenceService's status as KServe writes it: whether the change model-canary applied has
 * rolled out as expected, is still on its way, or failed for a reason no wait will fix. Pure: tested on
 * InferenceService objects (test/fixtures/deploy/kserve).
 */
export type Expectation =
  /** A canary: the latest revision Ready and given `weight` percent. */
  | { kind: 'canary'; weight: number }
  /** No canary: the latest revision Ready with all traffic (a first release, a promotion, a restored spec). */
  | { kind: 'full' }
  /** Rollback pinned: no traffic to the latest revision; the restored spec's revision Ready. */
  | { kind: 'pinned' }
  /** Standard mode: the canary entry `name` Ready with `weight` percent (KServe's canaryStatuses), and stable Ready. */
  | { kind: 'standard-canary'; name: string; weight: number }
  /** Standard mode, no canary: stable Ready and no canary entry left in the status. */
  | { kind: 'standard-stable' };

export type IsvcState = { state: 'ready'; detail: string } | { state: 'pending'; detail: string } | { state: 'failed'; reason: string; detail: string };

/** KServe's aggregate condition over the Standard-mode canaries (reasons AllCanariesReady, CanariesNotReady). */
export const CANARY_READY = 'CanaryPredictorReady';
/** Conditions whose False is watched; KServe sets those that apply to the deployment mode. */
const WATCHED = ['Ready', 'PredictorReady', 'PredictorConfigurationReady', 'PredictorRouteReady', 'LatestDeploymentReady', 'IngressReady', 'RoutesReady'];
/** The ones that must be True (when present) for the rollout to count as done. */
const MUST_BE_TRUE = ['Ready', 'PredictorReady', 'LatestDeploymentReady'];
/**
 * Reasons that no waiting fixes: Knative's for a revision that failed (RevisionFailed, ContainerMissing
 * for an image it cannot pull, ExitCode), a Deployment's ProgressDeadlineExceeded, and KServe's model
 * failures (lastFailureInfo reasons).
 */
const DECISIVE_REASONS = new Set([
  'RevisionFailed',
  'ContainerMissing',
  'ExitCode',
  'ProgressDeadlineExceeded',
  'ModelLoadFailed',
  'RuntimeUnhealthy',
  'RuntimeDisabled',
  'NoSupportingRuntime',
  'RuntimeNotRecognized',
  'InvalidPredictorSpec',
]);
/** KServe's modelStatus.transitionStatus values that mean the new model will not load. */
const FAILED_TRANSITIONS = new Set(['BlockedByFailedLoad', 'InvalidSpec']);

export function inferenceServiceState(isvc: InferenceService, expect: Expectation): IsvcState {
  const detail = describeStatus(isvc);
  const generation = isvc.metadata.generation;
  const observed = isvc.status?.observedGeneration;
  // In Standard mode KServe copies the predictor Deployment's observedGeneration there, not its own: the
  // canary statuses (written by the reconcile that saw the entry, cleared by the one that saw it go) say instead.
  const standard = expect.kind === 'standard-canary' || expect.kind === 'standard-stable';
  if (!standard && generation !== undefined && (observed === undefined || observed < generation)) {
    return { state: 'pending', detail: `the KServe controller has not reconciled generation ${generation} yet (observed ${observed ?? 'none'}); ${detail}` };
  }
  const model = isvc.status?.modelStatus;
  if (model?.transitionStatus && FAILED_TRANSITIONS.has(model.transitionStatus)) {
    const info = model.lastFailureInfo;
    return { state: 'failed', reason: `${model.transitionStatus}${info?.reason ? ` (${info.reason}${info.message ? `: ${info.message}` : ''})` : ''}`, detail };
  }
  const conditions = isvc.status?.conditions ?? [];
  const decisive = conditions.find((c) => WATCHED.includes(c.type) && c.status === 'False' && c.reason !== undefined && DECISIVE_REASONS.has(c.reason));
  if (decisive) return { state: 'failed', reason: `${decisive.type} is False: ${decisive.reason}${decisive.message ? ` (${decisive.message})` : ''}`, detail };

  const predictor = isvc.status?.components?.['predictor'];
  const notTrue = MUST_BE_TRUE.map((t) => conditions.find((c) => c.type === t)).filter((c): c is IsvcCondition => c !== undefined && c.status !== 'True');
  if (!conditions.some((c) => c.type === 'Ready')) return { state: 'pending', detail: `no Ready condition yet; ${detail}` };
  if (notTrue.length > 0)
    return { state: 'pending', detail: `${notTrue.map((c) => `${c.type} ${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}; ${detail}` };
  if (predictor?.latestCreatedRevision && predictor.latestReadyRevision && predictor.latestCreatedRevision !== predictor.latestReadyRevision) {
    return { state: 'pending', detail: `revision ${predictor.latestCreatedRevision} is not Ready yet; ${detail}` };
  }
  if (expect.kind === 'standard-canary' || expect.kind === 'standard-stable') return standardState(isvc, expect, detail);
  const latest = latestShare(predictor);
  if (latest !== undefined) {
    const want = expect.kind === 'canary' ? expect.weight : expect.kind === 'full' ? 100 : 0;
    if (latest !== want) return { state: 'pending', detail: `the latest revision has ${latest}% of the traffic, not ${want}% yet; ${detail}` };
  }
  return { state: 'ready', detail };
}

/** After the shared checks (generation observed, nothing decisive, Ready True): KServe's canary status. */
function standardState(isvc: InferenceService, expect: Expectation & { kind: 'standard-canary' | 'standard-stable' }, detail: string): IsvcState {
  const statuses = isvc.status?.canaryStatuses ?? [];
  const aggregate = isvc.status?.conditions?.find((c) => c.type === CANARY_READY);
  if (expect.kind === 'standard-stable') {
    if (statuses.length > 0)
      return {
        state: 'pending',
        detail: `canar${statuses.length === 1 ? 'y' : 'ies'} ${statuses.map((c) => c.name).join(', ')} still in the status; ${detail}`,
      };
    return { state: 'ready', detail };
  }
  const mine = statuses.find((c) => c.name === expect.name);
  if (!mine) return { state: 'pending', detail: `no status for canary ${expect.name} yet; ${detail}` };
  if (!mine.ready)
    return { state: 'pending', detail: `canary ${expect.name} not Ready yet${aggregate?.reason ? ` (${CANARY_READY} ${aggregate.reason})` : ''}; ${detail}` };
  if (mine.trafficPercent !== expect.weight)
    return { state: 'pending', detail: `canary ${expect.name} has ${mine.trafficPercent}% of the traffic, not ${expect.weight}% yet; ${detail}` };
  if (aggregate && aggregate.status !== 'True')
    return { state: 'pending', detail: `${CANARY_READY} ${aggregate.status}${aggregate.reason ? ` (${aggregate.reason})` : ''}; ${detail}` };
  return { state: 'ready', detail };
}

/** The percent of traffic KServe reports for the latest revision (undefined when it reports no traffic). */
export function latestShare(predictor: ComponentStatus | undefined): number | undefined {
  const traffic = predictor?.traffic;
  if (!traffic || traffic.length === 0) return undefined;
  return traffic.filter((t) => t.latestRevision === true).reduce((sum, t) => sum + (t.percent ?? 0), 0);
}

/** One line for progress and failure messages: revisions, traffic and the conditions that are not True. */
export function describeStatus(isvc: InferenceService): string {
  const p = isvc.status?.components?.['predictor'];
  const parts: string[] = [];
  if (p?.latestCreatedRevision) parts.push(`latest created ${p.latestCreatedRevision}`);
  if (p?.latestReadyRevision) parts.push(`latest ready ${p.latestReadyRevision}`);
  if (p?.latestRolledoutRevision) parts.push(`rolled out ${p.latestRolledoutRevision}`);
  if (p?.traffic?.length)
    parts.push(`traffic ${p.traffic.map((t) => `${t.revisionName ?? (t.latestRevision ? 'latest' : '?')}=${t.percent ?? 0}%`).join(' ')}`);
  const canaries = isvc.status?.canaryStatuses ?? [];
  if (canaries.length) parts.push(`canaries ${canaries.map((c) => `${c.name}=${c.trafficPercent}%${c.ready ? ' Ready' : ' not Ready'}`).join(' ')}`);
  const off = (isvc.status?.conditions ?? []).filter((c) => c.status !== 'True').map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);
  if (off.length) parts.push(off.join(' '));
  return parts.join('; ') || 'no status yet';
}
