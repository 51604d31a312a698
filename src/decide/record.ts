import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import type { KubeClient } from '../kube/client.js';
import type { Verdict } from '../core/verdict.js';
export type { Verdict } from '../core/verdict.js';
import { digestOf, recordRelease, type RecordVerdict, type ReleaseRecord } from './history.js';
import { cell } from '../log/markdown.js';
import { takeSnapshot } from './snapshot.js';
import { cleanIsvc, isvcPath, standardMode, type InferenceService } from '../deploy/kserve/index.js';

/** Adds a release to the history in the cluster and sets the revision output. */
export async function record(
  client: KubeClient,
  config: Config,
  ctx: StageContext,
  entry: { image: string; version?: string | undefined; verdict: RecordVerdict; smoke?: string; restoredFrom?: number },
): Promise<ReleaseRecord> {
  // What stable runs now, when this revision is what it runs: a rollback to it restores all of it.
  const serving = entry.verdict === 'promoted' || entry.verdict === 'restored';
  const kserve = config.canary.strategy === 'kserve';
  const snapshot = serving && !kserve ? await takeSnapshot(client, config.cluster.namespace, config.model.name, ctx.host.logger) : undefined;
  const predictor = serving && kserve ? await standardPredictor(client, config.cluster.namespace, config.model.name) : undefined;
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
      ...(snapshot ? { snapshot } : {}),
      ...(predictor ? { predictor } : {}),
    },
  );
  ctx.report.outputs.revision = String(added.revision);
  ctx.host.logger.info(`Recorded revision ${added.revision} (${added.verdict}) in ConfigMap model-canary-${config.model.name}-history.`);
  return added;
}

/** The live InferenceService's predictor, when it runs in KServe's Standard mode (what a rollback to this revision brings back). */
async function standardPredictor(client: KubeClient, namespace: string, name: string): Promise<Record<string, unknown> | undefined> {
  const live = await client.get<InferenceService>(isvcPath(namespace, name));
  return live && standardMode(live) ? cleanIsvc(live).spec.predictor : undefined;
}

/** The decision section of the job summary. */
export function decisionSection(rows: [string, string][]): string {
  return ['### Decision', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
}

/**
 * The one way a release, promote or rollback ends: sets the verdict output, records it in the history (as
 * `recorded` when the history names it otherwise: a rollback that restored a revision is `restored`), adds
 * the decision section (verdict and revision first), then throws `error` when the step must fail.
 */
export async function finishRelease(
  client: KubeClient,
  config: Config,
  ctx: StageContext,
  end: {
    verdict: Verdict;
    recorded?: RecordVerdict;
    image: string;
    note: string;
    rows: [string, string][];
    version?: string | undefined;
    restoredFrom?: number;
    error?: unknown;
  },
): Promise<Verdict> {
  ctx.report.outputs.verdict = end.verdict;
  const rec = await record(client, config, ctx, {
    image: end.image,
    verdict: end.recorded ?? end.verdict,
    smoke: end.note,
    ...(end.version ? { version: end.version } : {}),
    ...(end.restoredFrom !== undefined ? { restoredFrom: end.restoredFrom } : {}),
  });
  ctx.report.sections.push(decisionSection([['Verdict', end.verdict], ['Revision', String(rec.revision)], ...end.rows]));
  if (end.error) throw end.error;
  return end.verdict;
}
