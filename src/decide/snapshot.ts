import { cleanForApply, cleanTemplate, referencedConfigMaps } from '../deploy/canary-plan.js';
import type { Deployment, PodTemplate } from '../deploy/types.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { apiPath } from '../kube/resources.js';
import type { Logger } from '../log/logger.js';

/** A ConfigMap as it is applied again: its name, labels, annotations and data. */
export interface ConfigMapCopy {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/**
 * What stable ran at a revision beyond its image: the whole pod template and the ConfigMaps it mounts or
 * reads, so a rollback to the revision restores its configuration too, not only its image.
 */
export interface StableSnapshot {
  template: PodTemplate;
  configMaps: ConfigMapCopy[];
}

/** Larger snapshots are not kept (the history ConfigMap holds ten revisions within its 1 MiB). */
export const SNAPSHOT_MAX_BYTES = 64 * 1024;

type LiveConfigMap = KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };

/** The live stable Deployment's template and ConfigMaps; undefined when there is none, or it is too large to keep. */
export async function takeSnapshot(client: KubeClient, namespace: string, stable: string, logger: Logger): Promise<StableSnapshot | undefined> {
  const live = await client.get<Deployment>(apiPath('Deployment', namespace, stable));
  if (!live) return undefined;
  const template = cleanTemplate(live.spec.template);
  const configMaps: ConfigMapCopy[] = [];
  for (const name of referencedConfigMaps(template)) {
    const cm = await client.get<LiveConfigMap>(apiPath('ConfigMap', namespace, name));
    if (cm) configMaps.push(copyOf(cm));
  }
  const snapshot = { template, configMaps };
  const size = Buffer.byteLength(JSON.stringify(snapshot));
  if (size > SNAPSHOT_MAX_BYTES) {
    logger.warn(
      `Stable's pod template and ConfigMaps take ${Math.round(size / 1024)} KiB, over the ${SNAPSHOT_MAX_BYTES / 1024} KiB the history keeps per revision: a rollback to this revision will restore its image and version only.`,
    );
    return undefined;
  }
  return snapshot;
}

function copyOf(cm: LiveConfigMap): ConfigMapCopy {
  const { labels, annotations } = cm.metadata;
  const kept = annotations
    ? Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'))
    : undefined;
  return {
    name: cm.metadata.name,
    ...(labels ? { labels } : {}),
    ...(kept && Object.keys(kept).length > 0 ? { annotations: kept } : {}),
    ...(cm.data ? { data: cm.data } : {}),
    ...(cm.binaryData ? { binaryData: cm.binaryData } : {}),
  };
}

/** The ConfigMaps of `names` as they are now (to put back when a restore fails). */
export async function currentConfigMaps(client: KubeClient, namespace: string, names: readonly string[]): Promise<ConfigMapCopy[]> {
  const out: ConfigMapCopy[] = [];
  for (const name of names) {
    const cm = await client.get<LiveConfigMap>(apiPath('ConfigMap', namespace, name));
    if (cm) out.push(copyOf(cm));
  }
  return out;
}

/** Applies the copies (server-side, as the release's field manager). */
export async function applyConfigMaps(client: KubeClient, namespace: string, copies: readonly ConfigMapCopy[], fieldManager: string): Promise<void> {
  for (const c of copies) {
    await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: c.name, namespace, ...(c.labels ? { labels: c.labels } : {}), ...(c.annotations ? { annotations: c.annotations } : {}) },
        ...(c.data ? { data: c.data } : {}),
        ...(c.binaryData ? { binaryData: c.binaryData } : {}),
      },
      fieldManager,
    );
  }
}

/** Stable with a recorded revision's whole pod template (its image and labels with it). */
export function stableWithTemplate(live: Deployment, template: PodTemplate, hpaManaged: boolean): Deployment {
  const stable = cleanForApply(live);
  stable.spec.template = structuredClone(template);
  const version = template.metadata?.labels?.['app.kubernetes.io/version'];
  if (version) stable.metadata.labels = { ...stable.metadata.labels, 'app.kubernetes.io/version': version };
  if (hpaManaged) delete stable.spec.replicas;
  return stable;
}
