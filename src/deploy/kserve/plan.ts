import { ModelCanaryError } from '../../errors.js';
import type { KubeObject } from '../../kube/client.js';

/**
 * The `kserve` strategy as pure data: the InferenceService objects a canary, a promotion and a rollback
 * apply. KServe does the traffic split itself: `spec.predictor.canaryTrafficPercent` sends that share to
 * the latest revision and the rest to the last one rolled out with 100%; removing it promotes the latest
 * revision; 0 pins all traffic to the previous one (KServe's own rollback). Nothing here talks to the cluster.
 */
export const ISVC_API = 'serving.kserve.io/v1beta1';
/** On the InferenceService during a canary: the predictor spec stable ran, as JSON (rollback restores it). */
export const PREVIOUS_PREDICTOR = 'model-canary.dev/previous-predictor';
export const DEPLOYMENT_MODE = 'serving.kserve.io/deploymentMode';

export interface Predictor {
  canaryTrafficPercent?: number;
  containers?: { name?: string; image?: string; [k: string]: unknown }[];
  model?: { storageUri?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface IsvcCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  severity?: string;
  lastTransitionTime?: string;
}

export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  latestRevision?: boolean;
  percent?: number;
}

export interface ComponentStatus {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic?: TrafficTarget[];
}

export interface InferenceService extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: { predictor: Predictor; [k: string]: unknown };
  status?: {
    observedGeneration?: number;
    conditions?: IsvcCondition[];
    /** Standard mode: one per spec.canary entry. */
    canaryStatuses?: { name: string; ready: boolean; trafficPercent: number }[];
    components?: Record<string, ComponentStatus>;
    modelStatus?: {
      transitionStatus?: string;
      states?: { activeModelState?: string; targetModelState?: string };
      lastFailureInfo?: { reason?: string; message?: string; location?: string; modelRevisionName?: string; exitCode?: number };
    };
  };
}

export const isInferenceService = (o: KubeObject): o is InferenceService => o.kind === 'InferenceService' && o.apiVersion === ISVC_API;

/** The one InferenceService among the rendered objects. */
export function renderedInferenceService(objects: readonly KubeObject[]): InferenceService {
  const found = objects.filter(isInferenceService);
  const only = found[0];
  if (found.length !== 1 || !only) {
    throw new ModelCanaryError(
      'user',
      `The strategy kserve needs exactly one InferenceService (${ISVC_API}) among the rendered objects; found ${found.length}.`,
      'Use render.mode kserve (the builtin chart renders one), or render exactly one InferenceService with your chart or manifests.',
    );
  }
  return only;
}

/**
 * The InferenceService for a canary: the rendered one (the new image) with `canaryTrafficPercent: weight`,
 * and the predictor spec stable runs kept in an annotation. When a canary is already in place (held, or
 * left by a run that died), the annotation it carries is kept: it still names what stable runs.
 */
export function canaryInferenceService(rendered: InferenceService, live: InferenceService, weight: number, namespace: string): InferenceService {
  const desired = withNamespace(structuredClone(rendered), namespace);
  const previous = live.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? JSON.stringify(predictorWithoutCanary(live.spec.predictor));
  desired.metadata.annotations = { ...desired.metadata.annotations, [PREVIOUS_PREDICTOR]: previous };
  desired.spec.predictor = { ...desired.spec.predictor, canaryTrafficPercent: weight };
  return desired;
}

/** A first release: the rendered InferenceService as it is (no canary: all traffic to its only revision). */
export function firstInferenceService(rendered: InferenceService, namespace: string): InferenceService {
  const desired = withNamespace(structuredClone(rendered), namespace);
  delete desired.spec.predictor.canaryTrafficPercent;
  return desired;
}

/** Promotion: the live InferenceService without `canaryTrafficPercent` (100% to the latest revision). */
export function promotedInferenceService(live: InferenceService): InferenceService {
  if (!inCanary(live)) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} has no canary to promote (no canaryTrafficPercent and no ${PREVIOUS_PREDICTOR} annotation).`,
      'Deploy one first (command deploy with decide.mode manual, or command release).',
    );
  }
  const desired = cleanIsvc(live);
  delete desired.spec.predictor.canaryTrafficPercent;
  dropPrevious(desired);
  return desired;
}

/**
 * Rollback in two applies. `pinned`: the previous predictor spec back with `canaryTrafficPercent: 0`, so
 * KServe sends all traffic to the last revision rolled out at once while it makes a revision of the
 * restored spec. `restored`: the same without `canaryTrafficPercent`, applied once that revision is Ready
 * (before that, the latest Ready revision would still be the canary's).
 */
export function rollbackInferenceServices(live: InferenceService): { pinned: InferenceService; restored: InferenceService } {
  const text = live.metadata.annotations?.[PREVIOUS_PREDICTOR];
  if (!text) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} carries no ${PREVIOUS_PREDICTOR} annotation: there is no canary of model-canary's to roll back.`,
      'Use command rollback with a revision number from command status to restore a recorded release.',
    );
  }
  let previous: Predictor;
  try {
    previous = JSON.parse(text) as Predictor;
  } catch {
    throw new ModelCanaryError(
      'user',
      `The ${PREVIOUS_PREDICTOR} annotation of InferenceService ${live.metadata.name} is not JSON.`,
      'Restore the predictor spec by hand (kubectl edit), then remove the annotation.',
    );
  }
  const restored = cleanIsvc(live);
  restored.spec.predictor = predictorWithoutCanary(previous);
  dropPrevious(restored);
  const pinned = structuredClone(restored);
  pinned.spec.predictor.canaryTrafficPercent = 0;
  pinned.metadata.annotations = { ...pinned.metadata.annotations, [PREVIOUS_PREDICTOR]: text };
  return { pinned, restored };
}

/** An InferenceService in the middle of a model-canary canary. */
export function inCanary(isvc: InferenceService): boolean {
  return isvc.spec.predictor.canaryTrafficPercent !== undefined || isvc.metadata.annotations?.[PREVIOUS_PREDICTOR] !== undefined;
}

/** KServe splits traffic between revisions only in Serverless mode (Knative); RawDeployment has no revisions. */
export function rawDeployment(isvc: InferenceService): boolean {
  return (isvc.metadata.annotations?.[DEPLOYMENT_MODE] ?? '').toLowerCase() === 'rawdeployment';
}

/** The model image the predictor runs (its first container's), or its storageUri. */
export function predictorImage(predictor: Predictor): string {
  return predictor.containers?.[0]?.image ?? predictor.model?.storageUri ?? '';
}

function predictorWithoutCanary(p: Predictor): Predictor {
  const copy = structuredClone(p);
  delete copy.canaryTrafficPercent;
  return copy;
}

function dropPrevious(isvc: InferenceService): void {
  const annotations = { ...isvc.metadata.annotations };
  delete annotations[PREVIOUS_PREDICTOR];
  if (Object.keys(annotations).length > 0) isvc.metadata.annotations = annotations;
  else delete isvc.metadata.annotations;
}

/** A live object fit to apply again: status and server bookkeeping removed. */
export function cleanIsvc(live: InferenceService): InferenceService {
  const copy = structuredClone(live);
  const { name, namespace, labels, annotations } = copy.metadata;
  const kept = { ...annotations };
  delete kept['kubectl.kubernetes.io/last-applied-configuration'];
  const metadata: InferenceService['metadata'] = { name };
  if (namespace) metadata.namespace = namespace;
  if (labels) metadata.labels = labels;
  if (Object.keys(kept).length > 0) metadata.annotations = kept;
  return { apiVersion: copy.apiVersion, kind: copy.kind, metadata, spec: copy.spec };
}

function withNamespace(o: InferenceService, namespace: string): InferenceService {
  if (!o.metadata.namespace) o.metadata.namespace = namespace;
  return o;
}
