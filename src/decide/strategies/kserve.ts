import type { Config } from '../../config/types.js';
import type { StageContext } from '../../core/context.js';
import type { Delivery, FailedDelivery, ReleaseStrategy } from '../../core/strategy.js';
import type { Verdict } from '../../core/verdict.js';
import { removeObjects } from '../../deploy/apply.js';
import {
  deployInferenceService,
  InferenceServiceFailure,
  isvcPath,
  ourCanaryEntry,
  predictorImage,
  standardMode,
  promoteInferenceService,
  renderedInferenceService,
  rollbackInferenceService,
  type InferenceService,
  type KServeDeployResult,
} from '../../deploy/kserve/index.js';
import type { KubeClient } from '../../kube/client.js';

export type KServeDelivery = KServeDeployResult & Delivery;

/**
 * Strategy kserve: KServe runs the canary and its conditions are the gate. In Standard mode the canary is a
 * spec.canary entry, a Deployment of its own: its pods are smoked and analysed beside stable's like any
 * canary's. In Serverless mode (canaryTrafficPercent) KServe names its pods after revisions and gives
 * none of its own to send to, so smoke and analysis do not run there; the README says so.
 */
export function kserveStrategy(config: Config, ctx: StageContext, client: KubeClient): ReleaseStrategy<KServeDelivery> {
  const { logger } = ctx.host;
  return {
    name: 'kserve',
    async deploy(objects) {
      const r = await deployInferenceService(config, objects, ctx);
      const detail = `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s`;
      const gate = `InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s${r.standard?.route ? `; ${r.standard.route}` : ''}`;
      return r.standard ? { ...r, detail, gate, pods: r.standard } : { ...r, detail, gate };
    },
    async afterFailedDeploy(err, objects): Promise<FailedDelivery> {
      if (!(err instanceof InferenceServiceFailure)) throw err;
      const name = renderedInferenceService(objects).metadata.name;
      const live = await client.get<InferenceService>(isvcPath(config.cluster.namespace, name));
      const image = live ? predictorImage(live.spec.predictor) : '';
      let verdict: Verdict = 'failed';
      const inCanary = live !== undefined && (standardMode(live) ? ourCanaryEntry(live) !== undefined : live.spec.predictor.canaryTrafficPercent !== undefined);
      if (inCanary && config.decide.onFailure === 'rollback') {
        const r = await rollbackInferenceService(client, config, name, logger);
        ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
        logger.info(`All traffic back on ${r.image}.`);
        verdict = 'rolled-back';
      } else if (inCanary) {
        ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
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
      const promoted = await promoteInferenceService(client, config, d.name, logger, d.shared, d.standard?.scaling);
      ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
      return [
        [
          'Promotion',
          d.standard
            ? `stable retargeted to the canary's Deployment ${d.standard.deployment} in ${(promoted.elapsedMs / 1000).toFixed(1)}s`
            : `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`,
        ],
      ];
    },
    async rollback(d) {
      await rollbackInferenceService(client, config, d.name, logger);
      ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
    },
    async hold(d) {
      ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
      logger.info(`Holding the canary of InferenceService ${d.name} at ${config.canary.weight}%: run command promote or rollback to finish.`);
    },
  };
}
