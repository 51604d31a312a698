import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import { promoteInferenceService, rollbackInferenceService } from '../deploy/kserve/index.js';
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

/** command rollback for strategy kserve: the canary's traffic back to the previous revision, its spec restored. */
export async function rollbackKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  const wanted = config.run.revision || 'previous';
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
