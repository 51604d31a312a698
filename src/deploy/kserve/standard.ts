import { createHash } from 'node:crypto';
import { ModelCanaryError } from '../../errors.js';
import type { HTTPRoute } from '../traffic/plan.js';
import { cleanIsvc, DEPLOYMENT_MODE, predictorImage, type InferenceService, type Predictor } from './plan.js';

/**
 * KServe Standard mode (v0.20 and later, formerly RawDeployment) as pure data. A canary is an entry of
 * `spec.canary`: a named predictor with `trafficPercent`, run by KServe as its own Deployment and Service
 * `{isvc}-{name}-predictor` and weighted on the InferenceService's HTTPRoute. KServe's promotion retargets
 * the stable predictor to the canary (`spec.predictor.name` set to the canary's, the entry removed): the
 * canary's Deployment becomes stable's, no pod restarts, and the old stable Deployment is removed. A
 * rollback removes the entry. Nothing here talks to the cluster.
 */

export interface CanaryEntry {
  predictor: Predictor & { name?: string };
  trafficPercent: number;
}

/**
 * Model-canary's canary entries are named `mc-` and 8 hex (canaryEntryName). Nothing else marks them: KServe
 * copies the InferenceService's annotations and labels onto stable's pods, so a mark there would restart
 * stable for every canary.
 */
export const OUR_ENTRY = /^mc-[0-9a-f]{8}(-b)?$/;
/** Fields KServe's webhook refuses on a canary predictor (the canary runs fixed replicas). */
const SCALING_FIELDS = ['minReplicas', 'maxReplicas', 'scaleTarget', 'scaleMetric', 'autoScaling', 'canaryTrafficPercent'] as const;

export type Scaling = Partial<Pick<Predictor, 'minReplicas' | 'maxReplicas' | 'scaleTarget' | 'scaleMetric' | 'autoScaling'>>;

/** A predictor's scaling fields (what a promotion gives stable). */
export function scalingOf(p: Predictor): Scaling {
  const out: Record<string, unknown> = {};
  for (const f of SCALING_FIELDS) if (f !== 'canaryTrafficPercent' && p[f] !== undefined) out[f] = structuredClone(p[f]);
  return out as Scaling;
}

/** Standard mode: the annotation KServe's defaulting webhook writes (`RawDeployment` is its old name). */
export function standardMode(isvc: InferenceService): boolean {
  const mode = isvc.metadata.annotations?.[DEPLOYMENT_MODE] ?? '';
  return mode === 'Standard' || mode === 'RawDeployment';
}

/** The Deployment (and Service) KServe runs a predictor as: `{isvc}-predictor`, or `{isvc}-{name}-predictor`. */
export function predictorDeployment(isvc: string, predictorName?: string): string {
  return predictorName ? `${isvc}-${predictorName}-predictor` : `${isvc}-predictor`;
}

/** The Deployment stable runs as now. */
export const stableDeploymentOf = (isvc: InferenceService): string => predictorDeployment(isvc.metadata.name, predictorName(isvc.spec.predictor));

function predictorName(p: Predictor): string | undefined {
  return typeof p['name'] === 'string' && p['name'] !== '' ? p['name'] : undefined;
}

/**
 * A canary's name: `mc-` and 8 hex of what it runs, so the same release gets the same name (a rerun
 * finds its entry) and a new one a name unlike stable's. `-b` when that still equals stable's (the same
 * model released again after a promotion named stable after it).
 */
export function canaryEntryName(rendered: Predictor, stableName: string | undefined): string {
  const spec = structuredClone(rendered);
  delete spec['name'];
  for (const f of SCALING_FIELDS) delete spec[f];
  const name = `mc-${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8)}`;
  return name === stableName ? `${name}-b` : name;
}

/** Model-canary's canary entry on the live InferenceService, when there is one. */
export function ourCanaryEntry(live: InferenceService): CanaryEntry | undefined {
  return canaryEntries(live).find((c) => OUR_ENTRY.test(c.predictor.name ?? ''));
}

export function canaryEntries(isvc: InferenceService): CanaryEntry[] {
  const list = isvc.spec['canary'];
  return Array.isArray(list) ? (list as CanaryEntry[]) : [];
}

/**
 * The InferenceService for a canary: the rendered metadata and shared spec, stable's predictor as it runs
 * now, and one `spec.canary` entry with the rendered predictor at `weight` percent and `replicas` fixed
 * replicas. Refuses an InferenceService that carries canaries of someone else's.
 */
export function standardCanary(rendered: InferenceService, live: InferenceService, weight: number, replicas: number, namespace: string): InferenceService {
  const foreign = canaryEntries(live).filter((c) => !OUR_ENTRY.test(c.predictor.name ?? ''));
  if (foreign.length > 0) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} already has canar${foreign.length === 1 ? 'y' : 'ies'} ${foreign.map((c) => c.predictor.name ?? '?').join(', ')} that model-canary did not add: it runs one canary at a time and will not change another's.`,
      'Finish or remove those spec.canary entries (kubectl edit inferenceservice), then release again.',
    );
  }
  if (!live.spec.predictor.model?.storageUri || !rendered.spec.predictor.model?.storageUri) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} runs in KServe's Standard mode, where a canary needs a predictor with a model and its storageUri (stable's and the release's); ${live.spec.predictor.model?.storageUri ? 'the release' : 'stable'} has none (its own containers).`,
      'Render the predictor as a model: with the builtin chart, set render.values.kserve.modelFormat and kserve.storageUri (a pvc://, s3://, http(s):// or oci:// model-car URI).',
    );
  }
  const desired = structuredClone(rendered);
  if (!desired.metadata.namespace) desired.metadata.namespace = namespace;
  const stable = cleanIsvc(live).spec.predictor;
  const name = canaryEntryName(rendered.spec.predictor, predictorName(stable));
  const predictor: CanaryEntry['predictor'] = structuredClone(rendered.spec.predictor);
  for (const f of SCALING_FIELDS) delete predictor[f];
  predictor.name = name;
  predictor.minReplicas = replicas;
  desired.spec = { ...desired.spec, predictor: stable, canary: [{ predictor, trafficPercent: weight }] };
  // Stable's pods get the InferenceService's metadata: keep it as it is live, or stable restarts.
  desired.metadata = { ...cleanIsvc(live).metadata };
  return desired;
}

/**
 * KServe's promotion: stable's predictor becomes the canary's (named after it, so KServe keeps the
 * canary's Deployment as stable's and restarts nothing) with `scaling` (the release's rendered scaling
 * fields; stable's own when not given), and the entry removed.
 */
export function standardPromoted(live: InferenceService, scaling: Scaling = scalingOf(live.spec.predictor)): InferenceService {
  const entry = ourCanaryEntry(live);
  if (!entry) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} has no canary of model-canary's to promote (no spec.canary entry named mc-<8 hex>).`,
      'Deploy one first (command deploy with decide.mode manual, or command release).',
    );
  }
  const desired = withoutOurs(live);
  const promoted: Predictor = structuredClone(entry.predictor);
  delete promoted.minReplicas;
  desired.spec.predictor = { ...promoted, ...scaling };
  return desired;
}

/** The rollback: the entry removed, stable's predictor untouched. */
export function standardRolledBack(live: InferenceService): InferenceService {
  if (!ourCanaryEntry(live)) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${live.metadata.name} has no canary of model-canary's to roll back (no spec.canary entry named mc-<8 hex>).`,
      'Use command rollback with a revision number from command status to restore a recorded release.',
    );
  }
  return withoutOurs(live);
}

/** The InferenceService without model-canary's entry (others' entries are kept). */
function withoutOurs(live: InferenceService): InferenceService {
  const desired = cleanIsvc(live);
  const rest = canaryEntries(desired).filter((c) => !OUR_ENTRY.test(c.predictor.name ?? ''));
  if (rest.length > 0) desired.spec['canary'] = rest;
  else delete desired.spec['canary'];
  return desired;
}

/** What a canary entry runs, for messages: its container image or storageUri. */
export const entryImage = (entry: CanaryEntry): string => predictorImage(entry.predictor);

/**
 * The share of KServe's HTTPRoutes for the InferenceService that goes to the canary's Service: the summed
 * weight of its backendRefs over all of them (a backendRef without a weight counts 1, as the Gateway API
 * says), as a percent of each rule's total. `undefined` when KServe made no route (no Gateway API, or a
 * cluster-local InferenceService): then no user traffic reaches the canary through a Gateway at all.
 */
export function canaryRouteShare(routes: readonly HTTPRoute[], canaryService: string): { percent: number; routes: string[] } | undefined {
  if (routes.length === 0) return undefined;
  let best = 0;
  for (const route of routes) {
    for (const rule of route.spec.rules ?? []) {
      const refs = rule.backendRefs ?? [];
      const total = refs.reduce((sum, r) => sum + (r.weight ?? 1), 0);
      const canary = refs.filter((r) => r.name === canaryService).reduce((sum, r) => sum + (r.weight ?? 1), 0);
      if (total > 0) best = Math.max(best, (100 * canary) / total);
    }
  }
  return { percent: best, routes: routes.map((r) => r.metadata.name) };
}
