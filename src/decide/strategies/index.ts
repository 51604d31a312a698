import type { Config } from '../../config/types.js';
import type { StageContext } from '../../core/context.js';
import type { ReleaseStrategy } from '../../core/strategy.js';
import type { KubeClient } from '../../kube/client.js';
import { deploymentStrategy } from './deployments.js';
import { kserveStrategy } from './kserve.js';

/** The one place a strategy name picks code: everything after it goes through ReleaseStrategy. */
export function strategyFor(config: Config, ctx: StageContext, client: KubeClient): ReleaseStrategy {
  return config.canary.strategy === 'kserve' ? kserveStrategy(config, ctx, client) : deploymentStrategy(config, ctx, client);
}
