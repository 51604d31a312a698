import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import type { KubeClient } from '../kube/client.js';
import { digestOf, recordRelease, type RecordVerdict, type ReleaseRecord } from './history.js';

/** Adds a release to the history in the cluster and sets the revision output. */
export async function record(
  client: KubeClient,
  config: Config,
  ctx: StageContext,
  entry: { image: string; version?: string | undefined; verdict: RecordVerdict; smoke?: string; restoredFrom?: number },
): Promise<ReleaseRecord> {
  const added = await recordRelease(
    client,
    { namespace: config.cluster.namespace, model: config.model.name, fieldManager: config.cluster.fieldManager, limit: config.decide.historyLimit },
    {
      digest: digestOf(entry.image),
      image: entry.image,
      version: entry.version ?? config.model.version,
      time: new Date().toISOString(),
      verdict: entry.verdict,
      runId: config.run.runId,
      ...(config.run.commitSha ? { commit: config.run.commitSha } : {}),
      ...(config.run.environment ? { environment: config.run.environment } : {}),
      ...(entry.smoke ? { smoke: entry.smoke } : {}),
      ...(entry.restoredFrom !== undefined ? { restoredFrom: entry.restoredFrom } : {}),
    },
  );
  ctx.report.outputs.revision = String(added.revision);
  ctx.host.logger.info(`Recorded revision ${added.revision} (${added.verdict}) in ConfigMap model-canary-${config.model.name}-history.`);
  return added;
}

export type Verdict = 'promoted' | 'rolled-back' | 'held' | 'failed';

/** The decision section of the job summary. */
export function decisionSection(rows: [string, string][]): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return ['### Decision', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
}
