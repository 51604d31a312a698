import type { Config } from '../../config/types.js';
import type { StageContext } from '../../core/context.js';
import type { FailedDelivery, ReleaseStrategy, Row } from '../../core/strategy.js';
import type { Verdict } from '../../core/verdict.js';
import { removeObjects } from '../../deploy/apply.js';
import { canaryName, modelDeployment } from '../../deploy/canary-plan.js';
import { deployCanary, GateFailure, type DeployResult } from '../../deploy/index.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { promoteCanary } from '../promote.js';
import { keepCanary, removeCanary } from '../stable-rollout.js';

export type DeploymentDelivery = DeployResult & { detail: string; gate: string; pods: DeployResult & { deployment: string; stable: string } };

/**
 * Strategies replicas and traffic: the canary is a Deployment `<model>-canary` beside stable (with
 * traffic, reached through its own Service and a weighted HTTPRoute); promotion gives stable the
 * canary's pod template.
 */
export function deploymentStrategy(config: Config, ctx: StageContext, client: KubeClient): ReleaseStrategy<DeploymentDelivery> {
  const { logger } = ctx.host;
  const forget = (created: readonly KubeObject[]): void => {
    for (const o of created) ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
  };
  return {
    name: config.canary.strategy,
    async deploy(objects, image) {
      const r = await deployCanary(config, objects, ctx, image);
      const detail = `${r.mode === 'first' ? 'first release as stable' : r.deployment}: revision ${r.revision}, ${r.readyPods.length} Ready pod(s) in ${(r.gateMs / 1000).toFixed(1)}s`;
      return { ...r, detail, gate: `${r.readyPods.length} pod(s) Ready in ${(r.gateMs / 1000).toFixed(1)}s`, pods: r };
    },
    async afterFailedDeploy(err, objects, image): Promise<FailedDelivery> {
      const stable = modelDeployment(objects, image).metadata.name;
      const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
      let verdict: Verdict;
      if (config.decide.onFailure === 'hold' && (await keepCanary(client, config, stable, ctx.cleanup))) {
        logger.info(`Holding the failed canary ${canaryName(stable)} for inspection (decide.onFailure is hold); run command rollback to remove it.`);
        verdict = 'held';
      } else {
        const removed = await removeCanary(client, config, stable, ctx.cleanup, logger);
        verdict = removed && err instanceof GateFailure ? 'rolled-back' : 'failed';
      }
      const rows: Row[] = [['Reason', reason]];
      if (err instanceof GateFailure) {
        const seconds = ((Date.now() - err.detectedAt) / 1000).toFixed(1);
        rows.push([
          'Gate',
          `${err.signal.reason} on ${err.signal.object} after ${((err.detectedAt - err.startedAt) / 1000).toFixed(1)}s; ${verdict} ${seconds}s after the signal was seen`,
        ]);
        logger.info(`Verdict ${verdict} ${seconds}s after the gate saw ${err.signal.reason}.`);
      }
      return { verdict, image, rows, note: 'not run: the gate failed' };
    },
    async keepFirst(d) {
      forget(d.created);
    },
    async removeFirst(d) {
      logger.info(`The first release of ${d.stable} failed; removing what it created.`);
      await removeObjects(client, d.created, ctx.cleanup, logger);
    },
    async promote(d) {
      const promotion = await promoteCanary(client, config, d.stable, { cleanup: ctx.cleanup, logger }, d.shared);
      return [['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]];
    },
    async rollback(d) {
      await removeCanary(client, config, d.stable, ctx.cleanup, logger);
    },
    async hold(d) {
      forget(d.created);
      if (config.canary.strategy === 'traffic') ctx.cleanup.route(d.stable, undefined);
    },
  };
}
