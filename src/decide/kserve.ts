import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import {
  isvcPath,
  ourCanaryEntry,
  predictorImage,
  promoteInferenceService,
  restoreStandardPredictor,
  rollbackInferenceService,
  standardMode,
  type InferenceService,
  type Predictor,
} from '../deploy/kserve/index.js';
import { readHistory, revisionToRestore } from './history.js';
import { withReleaseLock } from './locked.js';
import { finishRelease, type Verdict } from './record.js';

/** command promote for strategy kserve: the held canary gets all traffic. */
export async function promoteKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const promoted = await promoteInferenceService(client, config, config.model.name, ctx.host.logger);
    return finishRelease(client, config, ctx, {
      verdict: 'promoted',
      image: promoted.image,
      note: 'promoted by command promote',
      rows: [
        ['Image', promoted.image],
        ['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`],
      ],
    });
  });
}

/**
 * command rollback for strategy kserve: the canary's traffic back to stable, its spec restored. In
 * Standard mode with no canary in place, or with a revision number: the recorded revision's predictor
 * restored (as a canary, then promoted).
 */
export async function rollbackKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  const wanted = config.run.revision || 'previous';
  const client = await ctx.kube.client();
  const live = await client.get<InferenceService>(isvcPath(config.cluster.namespace, config.model.name));
  if (live && standardMode(live) && (wanted !== 'previous' || !ourCanaryEntry(live))) return restoreKServe(config, ctx, wanted, live);
  if (wanted !== 'previous') {
    throw new ModelCanaryError(
      'user',
      `Rolling back an InferenceService to revision ${wanted} is not supported; model-canary rolls back the canary in place.`,
      'Use revision previous (the default), or re-run the release of the wanted version.',
    );
  }
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const r = await rollbackInferenceService(client, config, config.model.name, ctx.host.logger);
    return finishRelease(client, config, ctx, {
      verdict: 'rolled-back',
      image: r.removed,
      note: 'canary removed by command rollback',
      rows: [
        ['Removed canary', r.removed],
        ['Stable', r.image],
      ],
    });
  });
}

/** Standard mode: a recorded revision's predictor back as stable, through a canary (stable serves throughout). */
async function restoreKServe(config: Config, ctx: StageContext, wanted: string, live: InferenceService): Promise<Verdict> {
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const history = await readHistory(client, config.cluster.namespace, config.model.name);
    const record = revisionToRestore(history, wanted, predictorImage(live.spec.predictor));
    if (!record.predictor) {
      throw new ModelCanaryError(
        'user',
        `Revision ${record.revision} was recorded without its InferenceService predictor (an older model-canary, or Serverless mode): it cannot be restored.`,
        'Release that version again (command release) instead.',
      );
    }
    ctx.host.logger.info(
      `Restoring revision ${record.revision} (${record.image}, version ${record.version}, released ${record.time}) to InferenceService ${config.model.name}.`,
    );
    const r = await restoreStandardPredictor(config, ctx, record.predictor as Predictor);
    return finishRelease(client, config, ctx, {
      verdict: 'rolled-back',
      recorded: 'restored',
      image: r.image,
      version: record.version,
      restoredFrom: record.revision,
      note: `revision ${record.revision} restored by command rollback`,
      rows: [
        ['Restored', `revision ${record.revision}: ${r.image} (version ${record.version})`],
        ['Replaced', r.removed],
        ['Restore', `as a canary, then promoted, in ${(r.elapsedMs / 1000).toFixed(1)}s`],
      ],
    });
  });
}
