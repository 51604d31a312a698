import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { apiPath } from '../kube/resources.js';
import type { StableSnapshot } from './snapshot.js';

/**
 * The release history, kept in the cluster beside the model (ConfigMap model-canary-<model>-history, one
 * JSON list, newest last), so status and rollback work from any run without the run that released.
 */
export type RecordVerdict = 'promoted' | 'rolled-back' | 'held' | 'failed' | 'restored';

export interface ReleaseRecord {
  revision: number;
  /** The image's digest (sha256:...) and the full reference the stable Deployment ran. */
  digest: string;
  image: string;
  version: string;
  commit?: string;
  time: string;
  verdict: RecordVerdict;
  environment?: string;
  /** One line: the smoke verdict and numbers, or why there was none. */
  smoke?: string;
  runId: string;
  /** For a rollback: the revision it restored. */
  restoredFrom?: number;
  /** What stable ran (pod template, ConfigMaps), for promoted and restored revisions: a rollback restores it. */
  snapshot?: StableSnapshot;
  /** Strategy kserve in Standard mode: the InferenceService's predictor as stable ran it (a rollback to it brings it back as a canary, then promotes it). */
  predictor?: Record<string, unknown>;
}

export const historyName = (model: string): string => `model-canary-${model}-history`;
const KEY = 'releases.json';

export function historyPath(namespace: string, model: string): string {
  return apiPath('ConfigMap', namespace, historyName(model));
}

export async function readHistory(client: KubeClient, namespace: string, model: string): Promise<ReleaseRecord[]> {
  const cm = await client.get<KubeObject & { data?: Record<string, string> }>(historyPath(namespace, model));
  return parseHistory(cm?.data?.[KEY]);
}

export function parseHistory(text: string | undefined): ReleaseRecord[] {
  if (!text) return [];
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? (list as ReleaseRecord[]).filter((r) => typeof r.revision === 'number') : [];
  } catch {
    return [];
  }
}

/** The history with one more record (numbered after the last), keeping the newest `limit`. */
export function appendRecord(
  history: readonly ReleaseRecord[],
  record: Omit<ReleaseRecord, 'revision'>,
  limit: number,
): { history: ReleaseRecord[]; added: ReleaseRecord } {
  const revision = history.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
  const added: ReleaseRecord = { ...record, revision };
  return { history: [...history, added].slice(-Math.max(1, limit)), added };
}

/** Adds a record and writes the ConfigMap with server-side apply. Call it holding the release lock. */
export async function recordRelease(
  client: KubeClient,
  target: { namespace: string; model: string; fieldManager: string; limit: number },
  record: Omit<ReleaseRecord, 'revision'>,
): Promise<ReleaseRecord> {
  const { history, added } = appendRecord(await readHistory(client, target.namespace, target.model), record, target.limit);
  await client.apply(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: historyName(target.model),
        namespace: target.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'model-canary', 'app.kubernetes.io/name': target.model },
      },
      data: { [KEY]: JSON.stringify(history, null, 1) },
    },
    target.fieldManager,
  );
  return added;
}

/** The record `rollback` restores: `previous` (the last good release before what stable runs) or a number. */
export function revisionToRestore(history: readonly ReleaseRecord[], wanted: string, currentImage: string | undefined): ReleaseRecord {
  const good = history.filter((r) => r.verdict === 'promoted' || r.verdict === 'restored');
  if (wanted === 'previous' || wanted === '') {
    const candidates = good.filter((r) => r.image !== currentImage);
    const found = candidates[candidates.length - 1];
    if (!found) {
      throw new ModelCanaryError(
        'user',
        `There is no earlier good release to roll back to (${good.length} promoted release(s) recorded, all running ${currentImage ?? 'the current image'}).`,
        'Run `command: status` to see the recorded revisions.',
      );
    }
    return found;
  }
  const number = Number(wanted.replace(/^#/, ''));
  const found = history.find((r) => r.revision === number);
  if (!Number.isInteger(number) || !found) {
    const known = history.map((r) => r.revision).join(', ') || 'none';
    throw new ModelCanaryError(
      'user',
      `Revision ${wanted} is not in the history (recorded: ${known}).`,
      'Set revision to `previous` or a revision `command: status` lists.',
    );
  }
  if (found.verdict !== 'promoted' && found.verdict !== 'restored') {
    throw new ModelCanaryError(
      'user',
      `Revision ${found.revision} was ${found.verdict}, never promoted; model-canary restores only releases that ran as stable.`,
      'Pick a promoted revision from `command: status`.',
    );
  }
  return found;
}

/** The digest part of repository@sha256:... */
export function digestOf(image: string): string {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(at + 1) : '';
}
