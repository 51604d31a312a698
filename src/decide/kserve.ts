import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import { promoteInferenceService, rollbackInferenceService } from '../deploy/kserve/index.js';
import { withReleaseLock } from './locked.js';
import { decisionSection, record, type Verdict } from './record.js';

/** command promote for strategy kserve: the held canary gets all traffic. */
export async function promoteKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const promoted = await promoteInferenceService(client, config, config.model.name, ctx.host.logger);
    ctx.report.outputs.verdict = 'promoted';
    const rec = await record(client, config, ctx, { image: promoted.image, verdict: 'promoted', smoke: 'promoted by command promote' });
    ctx.report.sections.push(
      decisionSection([
        ['Verdict', 'promoted'],
        ['Revision', String(rec.revision)],
        ['Image', promoted.image],
        ['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`],
      ]),
    );
    return 'promoted';
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
    ctx.report.outputs.verdict = 'rolled-back';
    const rec = await record(client, config, ctx, { image: r.removed, verdict: 'rolled-back', smoke: 'canary removed by command rollback' });
    ctx.report.sections.push(
      decisionSection([
        ['Verdict', 'rolled-back'],
        ['Revision', String(rec.revision)],
        ['Removed canary', r.removed],
        ['Stable', r.image],
      ]),
    );
    return 'rolled-back';
  });
}
