import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { runStage } from '../log/stage.js';
import { removeObjects } from '../deploy/apply.js';
import { CANARY_SUFFIX, modelDeployment } from '../deploy/canary-plan.js';
import { deployCanary, GateFailure, type DeployResult } from '../deploy/index.js';
import { deliverInferenceService } from './kserve.js';
import { withReleaseLock } from './locked.js';
import { promoteCanary } from './promote.js';
import { decisionSection, record, type Verdict } from './record.js';
import { keepCanary, removeCanary } from './stable-rollout.js';

type SmokeFn = typeof import('../smoke/index.js').smokeCanary;
const defaultSmoke: SmokeFn = async (...a) => (await import('../smoke/index.js')).smokeCanary(...a);

interface SmokeOutcome {
  pass: boolean;
  summary: string;
  error?: unknown;
}

/**
 * deploy → smoke → decide, holding the release lock: the part of a release after render. A canary that
 * fails its gate or its smoke test is rolled back (or held, per decide.onFailure); one that passes is
 * promoted (auto) or held (manual). Every outcome is recorded in the history; a failure still throws, so
 * the step fails with the reason.
 */
export async function deliverRelease(config: Config, objects: KubeObject[], image: string, ctx: StageContext, smoke: SmokeFn = defaultSmoke): Promise<Verdict> {
  if (config.canary.strategy === 'kserve') return deliverInferenceService(config, objects, ctx);
  const stage = <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => runStage(ctx.host.logger, ctx.report, name, fn);
  return withReleaseLock(config, ctx, async (client) => {
    let deployed: DeployResult;
    try {
      deployed = await stage('deploy', async () => {
        const r = await deployCanary(config, objects, ctx, image);
        return { value: r, detail: `${r.mode === 'first' ? 'first release as stable' : r.deployment}: revision ${r.revision}, ${r.readyPods.length} Ready pod(s) in ${(r.gateMs / 1000).toFixed(1)}s` };
      });
    } catch (err) {
      // Nothing was applied for a config the deployer refuses; anything else may have left a canary.
      if (err instanceof ModelCanaryError && (err.kind === 'unavailable' || err.kind === 'user')) throw err;
      try {
        await afterFailedDeploy(client, config, objects, image, ctx, err);
      } catch (cleanupErr) {
        ctx.host.logger.warn(`Rolling back after the failed deploy failed too: ${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}; the post step removes what this run created.`);
      }
      throw err;
    }
    const smoked = await runSmoke(config, deployed, ctx, smoke);
    return stage('decide', async () => {
      const verdict = await decide(client, config, deployed, smoked, ctx);
      return { value: verdict, detail: verdict };
    });
  });
}

async function afterFailedDeploy(client: KubeClient, config: Config, objects: KubeObject[], image: string, ctx: StageContext, err: unknown): Promise<void> {
  const { logger } = ctx.host;
  const stable = modelDeployment(objects, image).metadata.name;
  const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
  const canary = `${stable}${CANARY_SUFFIX}`;
  let verdict: Verdict;
  if (config.decide.onFailure === 'hold' && (await keepCanary(client, config, stable, ctx.cleanup))) {
    logger.info(`Holding the failed canary ${canary} for inspection (decide.onFailure is hold); run command rollback to remove it.`);
    verdict = 'held';
  } else {
    const removed = await stage(ctx, 'rollback', async () => {
      const had = await removeCanary(client, config, stable, ctx.cleanup, logger);
      return { value: had, detail: had ? 'canary removed; stable untouched' : 'no canary to remove' };
    });
    verdict = removed && err instanceof GateFailure ? 'rolled-back' : 'failed';
  }
  ctx.report.outputs.verdict = verdict;
  await record(client, config, ctx, { image, verdict, smoke: 'not run: the gate failed' });
  const rows: [string, string][] = [
    ['Verdict', verdict],
    ['Image', image],
    ['Reason', reason],
  ];
  if (err instanceof GateFailure) {
    const seconds = ((Date.now() - err.detectedAt) / 1000).toFixed(1);
    rows.push(['Gate', `${err.signal.reason} on ${err.signal.object} after ${((err.detectedAt - err.startedAt) / 1000).toFixed(1)}s; rolled back ${seconds}s after the signal was seen`]);
    logger.info(`Verdict ${verdict} ${seconds}s after the gate saw ${err.signal.reason}.`);
  }
  ctx.report.sections.push(decisionSection(rows));
}

async function runSmoke(config: Config, deployed: DeployResult, ctx: StageContext, smoke: SmokeFn): Promise<SmokeOutcome> {
  if (!config.smoke.enabled) {
    ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'smoke.enabled is false: the gate decides' });
    return { pass: true, summary: 'smoke disabled' };
  }
  return ctx.host.logger.group('smoke', () => smokeInGroup(config, deployed, ctx, smoke));
}

async function smokeInGroup(config: Config, deployed: DeployResult, ctx: StageContext, smoke: SmokeFn): Promise<SmokeOutcome> {
  const started = Date.now();
  try {
    const report = await smoke(config, deployed, ctx);
    const summary = `${report.verdict}: error rate ${(report.errorRate * 100).toFixed(1)}%, p95 ${Math.round(report.p95Ms)} ms`;
    const { smokeOutputs, SmokeFailed } = await import('../smoke/index.js');
    // The smoke figures; the verdict output is the decision's, set by decide.
    Object.assign(ctx.report.outputs, { ...smokeOutputs(report), verdict: ctx.report.outputs.verdict });
    ctx.report.stages.push({ name: 'smoke', status: report.verdict === 'pass' ? 'ok' : 'failed', durationMs: Date.now() - started, detail: summary });
    if (report.verdict === 'pass') return { pass: true, summary };
    return { pass: false, summary, error: new SmokeFailed(report) };
  } catch (err) {
    if (err instanceof ModelCanaryError && err.kind === 'unavailable') {
      ctx.host.logger.warn('The smoke stage is not available in this version: smoke is skipped and the readiness gate decides.');
      ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: Date.now() - started, detail: 'not available: the gate decides' });
      return { pass: true, summary: 'skipped (not available)' };
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.report.stages.push({ name: 'smoke', status: 'failed', durationMs: Date.now() - started, detail: message.split('\n')[0] ?? message });
    return { pass: false, summary: `error: ${message.split('\n')[0] ?? message}`, error: err };
  }
}

async function decide(client: KubeClient, config: Config, deployed: DeployResult, smoked: SmokeOutcome, ctx: StageContext): Promise<Verdict> {
  const { logger } = ctx.host;
  const rows: [string, string][] = [['Image', deployed.image], ['Gate', `${deployed.readyPods.length} pod(s) Ready in ${(deployed.gateMs / 1000).toFixed(1)}s`], ['Smoke', smoked.summary]];
  const finish = async (verdict: Verdict, error?: unknown): Promise<Verdict> => {
    ctx.report.outputs.verdict = verdict;
    const rec = await record(client, config, ctx, { image: deployed.image, verdict, smoke: smoked.summary });
    ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ...rows]));
    if (error) throw error;
    return verdict;
  };
  if (deployed.mode === 'first') {
    if (smoked.pass) {
      for (const o of deployed.created) ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
      return finish('promoted');
    }
    logger.info(`The first release of ${deployed.stable} failed its smoke test; removing what it created.`);
    await removeObjects(client, deployed.created, ctx.cleanup, logger);
    return finish('failed', smokeError(smoked));
  }
  if (!smoked.pass && config.decide.onFailure === 'rollback') {
    await removeCanary(client, config, deployed.stable, ctx.cleanup, logger);
    return finish('rolled-back', smokeError(smoked));
  }
  if (!smoked.pass || config.decide.mode === 'manual') {
    for (const o of deployed.created) ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
    if (config.canary.strategy === 'traffic') ctx.cleanup.route(deployed.stable, undefined);
    logger.info(`Holding the canary ${deployed.deployment} (${smoked.pass ? 'decide.mode is manual' : 'decide.onFailure is hold'}): run command promote or rollback to finish.`);
    return finish('held', smoked.pass ? undefined : smokeError(smoked));
  }
  try {
    const promotion = await promoteCanary(client, config, deployed.stable, { cleanup: ctx.cleanup, logger }, deployed.shared);
    rows.push(['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]);
    return await finish('promoted');
  } catch (err) {
    if (!(err instanceof GateFailure)) throw err;
    await removeCanary(client, config, deployed.stable, ctx.cleanup, logger);
    rows.push(['Stable rollout', `failed (${err.signal.reason}); stable reverted, canary removed`]);
    return finish('failed', err);
  }
}

function smokeError(smoked: SmokeOutcome): unknown {
  return smoked.error ?? new ModelCanaryError('model', `The canary failed its smoke test (${smoked.summary}).`, 'See the smoke report for the failing cases and pods.');
}

function stage<T>(ctx: StageContext, name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> {
  return runStage(ctx.host.logger, ctx.report, name, fn);
}
