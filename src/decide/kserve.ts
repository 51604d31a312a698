import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeObject } from '../kube/client.js';
import { runStage } from '../log/stage.js';
import {
  deployInferenceService,
  InferenceServiceFailure,
  isvcPath,
  predictorImage,
  promoteInferenceService,
  renderedInferenceService,
  rollbackInferenceService,
  type InferenceService,
  type KServeDeployResult,
} from '../deploy/kserve/index.js';
import { withReleaseLock } from './locked.js';
import { decisionSection, record, type Verdict } from './record.js';

/**
 * deploy → decide for canary.strategy kserve, holding the release lock. KServe runs the canary: its
 * conditions are the gate. The smoke stage, which sends to the pods of a Deployment's ReplicaSet, is not
 * run for an InferenceService (KServe names its pods after revisions); the README says so.
 */
export async function deliverInferenceService(config: Config, objects: KubeObject[], ctx: StageContext): Promise<Verdict> {
  const { logger } = ctx.host;
  const stage = <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => runStage(logger, ctx.report, name, fn);
  const name = renderedInferenceService(objects).metadata.name;
  return withReleaseLock(config, ctx, async (client) => {
    let deployed: KServeDeployResult;
    try {
      deployed = await stage('deploy', async () => {
        const r = await deployInferenceService(config, objects, ctx);
        return { value: r, detail: `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s` };
      });
    } catch (err) {
      if (!(err instanceof InferenceServiceFailure)) throw err;
      const live = await client.get<InferenceService>(isvcPath(config.cluster.namespace, name));
      const image = live ? predictorImage(live.spec.predictor) : '';
      let verdict: Verdict = 'failed';
      if (live && live.spec.predictor.canaryTrafficPercent !== undefined && config.decide.onFailure === 'rollback') {
        await stage('rollback', async () => {
          const r = await rollbackInferenceService(client, config, name, logger);
          return { value: r, detail: `all traffic back on ${r.image}` };
        });
        verdict = 'rolled-back';
      } else if (live?.spec.predictor.canaryTrafficPercent !== undefined) {
        logger.info(`Holding the failed canary of InferenceService ${name} (decide.onFailure is hold); run command rollback to remove it.`);
        verdict = 'held';
      }
      ctx.report.outputs.verdict = verdict;
      const rec = await record(client, config, ctx, { image, verdict, smoke: `not run: ${err.reason}` });
      ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ['Image', image], ['Reason', err.reason]]));
      throw err;
    }
    ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'strategy kserve: KServe conditions gate the canary' });
    return stage('decide', async () => {
      const verdict = await decide(config, deployed, ctx);
      return { value: verdict, detail: verdict };
    });
  });
}

async function decide(config: Config, deployed: KServeDeployResult, ctx: StageContext): Promise<Verdict> {
  const client = await ctx.kube.client();
  const rows: [string, string][] = [['Image', deployed.image], ['Gate', `InferenceService ${deployed.name} rolled out in ${(deployed.elapsedMs / 1000).toFixed(1)}s`]];
  const finish = async (verdict: Verdict, smoke: string): Promise<Verdict> => {
    ctx.report.outputs.verdict = verdict;
    const rec = await record(client, config, ctx, { image: deployed.image, verdict, smoke });
    ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ...rows]));
    return verdict;
  };
  if (deployed.mode === 'first') {
    for (const o of deployed.created) ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
    return finish('promoted', 'first release: KServe conditions');
  }
  if (config.decide.mode === 'manual') {
    ctx.host.logger.info(`Holding the canary of InferenceService ${deployed.name} at ${config.canary.weight}% (decide.mode is manual): run command promote or rollback to finish.`);
    return finish('held', 'KServe conditions passed; held');
  }
  const promoted = await promoteInferenceService(client, config, deployed.name, ctx.host.logger, deployed.shared);
  rows.push(['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]);
  return finish('promoted', 'KServe conditions passed');
}

/** command promote for strategy kserve: the held canary gets all traffic. */
export async function promoteKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const promoted = await promoteInferenceService(client, config, config.model.name, ctx.host.logger);
    ctx.report.outputs.verdict = 'promoted';
    const rec = await record(client, config, ctx, { image: promoted.image, verdict: 'promoted', smoke: 'promoted by command promote' });
    ctx.report.sections.push(decisionSection([['Verdict', 'promoted'], ['Revision', String(rec.revision)], ['Image', promoted.image], ['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]]));
    return 'promoted';
  });
}

/** command rollback for strategy kserve: the canary's traffic back to the previous revision, its spec restored. */
export async function rollbackKServe(config: Config, ctx: StageContext): Promise<Verdict> {
  const wanted = config.run.revision || 'previous';
  if (wanted !== 'previous') {
    throw new ModelCanaryError('user', `Rolling back an InferenceService to revision ${wanted} is not supported; model-canary rolls back the canary in place.`, 'Use revision previous (the default), or re-run the release of the wanted version.');
  }
  return withReleaseLock<Verdict>(config, ctx, async (client) => {
    const r = await rollbackInferenceService(client, config, config.model.name, ctx.host.logger);
    ctx.report.outputs.verdict = 'rolled-back';
    const rec = await record(client, config, ctx, { image: r.removed, verdict: 'rolled-back', smoke: 'canary removed by command rollback' });
    ctx.report.sections.push(decisionSection([['Verdict', 'rolled-back'], ['Revision', String(rec.revision)], ['Removed canary', r.removed], ['Stable', r.image]]));
    return 'rolled-back';
  });
}
