import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { Delivery, ReleaseStrategy, Row } from '../core/strategy.js';
import type { Verdict } from '../core/verdict.js';
import { withReleaseLock } from '../decide/locked.js';
import { finishRelease } from '../decide/record.js';
import { strategyFor } from '../decide/strategies/index.js';
import { judgeRelease } from '../decide/verdict.js';
import { GateFailure } from '../deploy/gate-report.js';
import { checkReleaseAccess } from '../deploy/preflight.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { runStage } from '../log/stage.js';
import { steppedEvidence } from './steps.js';
import { defaultSmoke, evidenceError, smokeEvidence, type EvidenceReport, type SmokeFn } from './evidence.js';

export interface DeliverDeps {
  smoke?: SmokeFn;
}

/**
 * deploy → smoke → analysis → decide, holding the release lock: the part of a release after render. The strategy
 * (src/decide/strategies) deploys and carries out the ending that judgeRelease picks from the evidence;
 * every ending is recorded in the history and the summary by finishRelease. A failure still throws, so
 * the step fails with the reason.
 */
export async function deliverRelease(config: Config, objects: KubeObject[], image: string, ctx: StageContext, deps: DeliverDeps = {}): Promise<Verdict> {
  // Before the lock too: a Role that cannot remove a canary must not get as far as taking a Lease.
  await checkReleaseAccess(config, objects, ctx);
  return withReleaseLock(config, ctx, async (client) => {
    const strategy = strategyFor(atFirstStep(config), ctx, client);
    const delivery = await deployStage(client, config, strategy, objects, image, ctx);
    let evidence: EvidenceReport;
    try {
      const smoked = await smokeEvidence(config, delivery, ctx, deps.smoke ?? defaultSmoke);
      evidence = await steppedEvidence(client, config, delivery, smoked, ctx);
    } catch (err) {
      if (!(err instanceof ModelCanaryError && err.kind === 'cancelled')) throw err;
      // Cancelled (SIGINT, SIGTERM): nothing is promoted, and the canary does not outlive the run.
      ctx.host.logger.warn('Cancelled: removing the canary; stable untouched.');
      await (delivery.mode === 'first' ? strategy.removeFirst(delivery) : strategy.rollback(delivery));
      ctx.report.outputs.verdict = 'rolled-back';
      throw err;
    }
    return runStage(ctx.host.logger, ctx.report, 'decide', async () => {
      const verdict = await decide(client, config, strategy, delivery, evidence, ctx);
      return { value: verdict, detail: verdict };
    });
  });
}

/** With canary.steps the canary is deployed at the first step's weight (steps replace canary.weight). */
function atFirstStep(config: Config): Config {
  const first = config.canary.steps?.[0];
  return first === undefined ? config : { ...config, canary: { ...config.canary, weight: first } };
}

async function deployStage(
  client: KubeClient,
  config: Config,
  strategy: ReleaseStrategy,
  objects: KubeObject[],
  image: string,
  ctx: StageContext,
): Promise<Delivery> {
  try {
    return await runStage(ctx.host.logger, ctx.report, 'deploy', async () => {
      const d = await strategy.deploy(objects, image);
      return { value: d, detail: d.detail };
    });
  } catch (err) {
    // Nothing was applied for a config the deployer refuses; anything else may have left a canary.
    if (err instanceof ModelCanaryError && (err.kind === 'unavailable' || err.kind === 'user')) throw err;
    const started = Date.now();
    try {
      const failed = await strategy.afterFailedDeploy(err, objects, image);
      ctx.report.stages.push({
        name: failed.verdict === 'held' ? 'hold' : 'rollback',
        status: 'ok',
        durationMs: Date.now() - started,
        detail: failed.verdict === 'rolled-back' ? 'canary removed; stable untouched' : failed.verdict,
      });
      await finishRelease(client, config, ctx, {
        verdict: failed.verdict,
        image: failed.image,
        note: failed.note,
        rows: [['Image', failed.image], ...failed.rows],
      });
    } catch (cleanupErr) {
      if (cleanupErr !== err)
        ctx.host.logger.warn(
          `Rolling back after the failed deploy failed too: ${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}; the post step removes what this run created.`,
        );
    }
    throw err;
  }
}

async function decide(
  client: KubeClient,
  config: Config,
  strategy: ReleaseStrategy,
  delivery: Delivery,
  evidence: EvidenceReport,
  ctx: StageContext,
): Promise<Verdict> {
  const judged = judgeRelease({
    mode: delivery.mode,
    evidence: evidence.outcome,
    decideMode: config.decide.mode,
    onFailure: config.decide.onFailure,
    onInconclusive: config.analysis.onInconclusive,
  });
  ctx.host.logger.info(`Decision: ${judged.ending} (${judged.why}).`);
  const rows: Row[] = [['Image', delivery.image], ['Gate', delivery.gate], ...evidence.rows];
  const finish = (verdict: Verdict, error?: unknown): Promise<Verdict> =>
    finishRelease(client, config, ctx, { verdict, image: delivery.image, note: evidence.note, rows, ...(error ? { error } : {}) });
  const failure = judged.fails ? evidenceError(evidence) : undefined;
  switch (judged.ending) {
    case 'keep-first':
      await strategy.keepFirst(delivery);
      break;
    case 'remove-first':
      await strategy.removeFirst(delivery);
      break;
    case 'rollback':
      await strategy.rollback(delivery);
      break;
    case 'hold':
      await strategy.hold(delivery);
      ctx.host.logger.info(`Holding the canary (${judged.why}): run command promote or rollback to finish.`);
      break;
    case 'promote':
      try {
        rows.push(...(await strategy.promote(delivery)));
      } catch (err) {
        if (!(err instanceof GateFailure)) throw err;
        await strategy.rollback(delivery);
        rows.push(['Stable rollout', `failed (${err.signal.reason}); stable reverted, canary removed`]);
        return finish('failed', err);
      }
      break;
  }
  return finish(judged.verdict, failure);
}
