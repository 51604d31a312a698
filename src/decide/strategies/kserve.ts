import type { Config } from '../../config/types.js';
import type { StageContext } from '../../core/context.js';
import type { Delivery, FailedDelivery, ReleaseStrategy } from '../../core/strategy.js';
import type { Verdict } from '../../core/verdict.js';
import { removeObjects } from '../../deploy/apply.js';
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
} from '../../deploy/kserve/index.js';
import type { KubeClient } from '../../kube/client.js';

export type KServeDelivery = KServeDeployResult & Delivery;

/**
 * Strategy kserve: KServe runs the canary (canaryTrafficPercent) and its conditions are the gate. It gives
 * no pods of its own to send to (KServe names its pods after revisions), so smoke and analysis do not run;
 * the README says so.
 */
export function kserveStrategy(config: Config, ctx: StageContext, client: KubeClient): ReleaseStrategy<KServeDelivery> {
  const { logger } = ctx.host;
  return {
    name: 'kserve',
    async deploy(objects) {
      const r = await deployInferenceService(config, objects, ctx);
      const detail = `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s`;
      return { ...r, detail, gate: `InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s` };
    },
    async afterFailedDeploy(err, objects): Promise<FailedDelivery> {
      if (!(err instanceof InferenceServiceFailure)) throw err;
      const name = renderedInferenceService(objects).metadata.name;
      const live = await client.get<InferenceService>(isvcPath(config.cluster.namespace, name));
      const image = live ? predictorImage(live.spec.predictor) : '';
      let verdict: Verdict = 'failed';
      if (live?.spec.predictor.canaryTrafficPercent !== undefined && config.decide.onFailure === 'rollback') {
        const r = await rollbackInferenceService(client, config, name, logger);
        logger.info(`All traffic back on ${r.image}.`);
        verdict = 'rolled-back';
      } else if (live?.spec.predictor.canaryTrafficPercent !== undefined) {
        logger.info(`Holding the failed canary of InferenceService ${name} (decide.onFailure is hold); run command rollback to remove it.`);
        verdict = 'held';
      }
      return { verdict, image, rows: [['Reason', err.reason]], note: `not run: ${err.reason}` };
    },
    async keepFirst(d) {
      for (const o of d.created) ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
    },
    async removeFirst(d) {
      await removeObjects(client, d.created, ctx.cleanup, logger);
    },
    async promote(d) {
      const promoted = await promoteInferenceService(client, config, d.name, logger, d.shared);
      return [['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]];
    },
    async rollback(d) {
      await rollbackInferenceService(client, config, d.name, logger);
    },
    async hold(d) {
      logger.info(`Holding the canary of InferenceService ${d.name} at ${config.canary.weight}%: run command promote or rollback to finish.`);
    },
  };
}
