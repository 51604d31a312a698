import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { canaryName } from '../deploy/canary-plan.js';
import { GateFailure } from '../deploy/gate-report.js';
import type { Deployment } from '../deploy/types.js';
import { promoteKServe, rollbackKServe } from './kserve.js';
import { withReleaseLock } from './locked.js';
import { modelImage, promoteCanary } from './promote.js';
import { checkPromoteExpectations } from './promote-check.js';
import { finishRelease, type Verdict } from './record.js';
import { restoreRevision } from './rollback.js';
import { deploymentPath, removeCanary } from './stable-rollout.js';
import { readStatus, statusLines, statusMarkdown, type ModelStatus } from './status.js';

export type { Verdict } from './record.js';
export type Decision = 'promote' | 'rollback' | 'hold';

/**
 * The commands that act on what is in the cluster, from any run: promote a held canary, roll back (remove
 * a canary, or restore a recorded revision to stable), list the releases. The stable Deployment is named
 * after the model (as the builtin chart names it).
 */
export async function promote(config: Config, ctx: StageContext): Promise<Verdict> {
  if (config.canary.strategy === 'kserve') return promoteKServe(config, ctx);
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    await checkPromoteExpectations(client, config);
    let promotion: Awaited<ReturnType<typeof promoteCanary>>;
    try {
      promotion = await promoteCanary(client, config, config.model.name, { cleanup: ctx.cleanup, logger: ctx.host.logger });
    } catch (err) {
      if (!(err instanceof GateFailure)) throw err;
      const canary = await client.get<Deployment>(deploymentPath(config.cluster.namespace, canaryName(config.model.name)));
      const image = canary ? modelImage(canary.spec.template, config.image.repository) : '';
      return finishRelease(client, config, ctx, {
        verdict: 'failed',
        image,
        note: `stable rollout failed: ${err.signal.reason}`,
        rows: [
          ['Image', image],
          ['Stable rollout', `failed (${err.signal.reason}); stable reverted, the canary is still held`],
        ],
        error: err,
      });
    }
    return finishRelease(client, config, ctx, {
      verdict: 'promoted',
      image: promotion.image,
      version: promotion.version,
      note: 'promoted by command promote',
      rows: [
        ['Image', promotion.image],
        ['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`],
      ],
    });
  });
}

/**
 * With a canary in place and revision `previous`: removes the canary, stable untouched. Otherwise restores
 * the revision (`previous` or a number from status) to stable, gated, from the history in the cluster.
 */
export async function rollback(config: Config, ctx: StageContext): Promise<Verdict> {
  if (config.canary.strategy === 'kserve') return rollbackKServe(config, ctx);
  const { logger } = ctx.host;
  const stable = config.model.name;
  const wanted = config.run.revision || 'previous';
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const canary = await client.get<Deployment>(deploymentPath(config.cluster.namespace, canaryName(stable)));
    if (canary && wanted === 'previous') {
      await removeCanary(client, config, stable, ctx.cleanup, logger);
      const image = modelImage(canary.spec.template, config.image.repository);
      return finishRelease(client, config, ctx, {
        verdict: 'rolled-back',
        image,
        version: canary.metadata.labels?.['app.kubernetes.io/version'],
        note: 'canary removed by command rollback',
        rows: [
          ['Removed canary', image],
          ['Stable', 'untouched'],
        ],
      });
    }
    const restored = await restoreRevision(client, config, stable, wanted, { cleanup: ctx.cleanup, logger });
    return finishRelease(client, config, ctx, {
      verdict: 'rolled-back',
      recorded: 'restored',
      image: restored.record.image,
      version: restored.record.version,
      note: `restored revision ${restored.record.revision}`,
      restoredFrom: restored.record.revision,
      rows: [
        ['Restored', `revision ${restored.record.revision}: ${restored.record.image}`],
        ['Replaced', restored.from],
        ['Stable rollout', `${restored.gate.readyPods.length} pod(s) Ready in ${(restored.gate.elapsedMs / 1000).toFixed(1)}s`],
      ],
    });
  });
}

/** Logs what runs and the recorded releases, and adds them to the job summary. */
export async function status(config: Config, ctx: StageContext): Promise<ModelStatus> {
  const client = await ctx.kube.client();
  const s = await readStatus(client, config, config.model.name);
  for (const line of statusLines(config.model.name, s)) ctx.host.logger.info(line);
  ctx.report.sections.push(statusMarkdown(config.model.name, s));
  const latest = s.history[0];
  if (latest) ctx.report.outputs.revision = String(latest.revision);
  if (!s.stable && s.history.length === 0) {
    ctx.host.logger.warn(`Nothing of ${config.model.name} is deployed in namespace ${config.cluster.namespace} yet.`);
  }
  return s;
}
