import { ModelCanaryError } from '../../errors.js';
import type { KubeClient } from '../../kube/client.js';
import type { Logger } from '../../log/logger.js';
import { isCanaryName } from '../canary-plan.js';
import { applyRoute, routePath } from './index.js';
import { CANARY_BACKEND, cleanRoute, routeGateway, type HTTPRoute } from './plan.js';

/**
 * A live route with the canary's backend at `weight` percent and the stable backend at the rest, as pure
 * data. The route must already send to both (the deploy stage made it so at the first step).
 */
export function routeAtWeight(live: HTTPRoute, weight: number): HTTPRoute {
  const canary = live.metadata.annotations?.[CANARY_BACKEND];
  const isCanary = (name: string): boolean => (canary !== undefined ? name === canary : isCanaryName(name));
  const route = cleanRoute(live);
  const rules = route.spec.rules ?? [];
  const rule = rules[0];
  const refs = rule?.backendRefs ?? [];
  if (!rule || rules.length !== 1 || refs.length !== 2 || refs.filter((b) => isCanary(b.name)).length !== 1) {
    throw new ModelCanaryError(
      'cluster',
      `HTTPRoute ${live.metadata.name} is not the one-rule stable/canary split model-canary made (${refs.map((b) => b.name).join(', ') || 'no backends'}); cannot step its weight.`,
      'Something else changed the route during the release; run command rollback, then release again.',
    );
  }
  rule.backendRefs = refs.map((b) => ({ ...b, weight: isCanary(b.name) ? weight : 100 - weight }));
  return route;
}

/** Moves the live route to the next step's weight and waits for the Gateway's controller to accept it. */
export async function stepRouteWeight(
  client: KubeClient,
  namespace: string,
  name: string,
  weight: number,
  fieldManager: string,
  logger: Logger,
): Promise<void> {
  const live = await client.get<HTTPRoute>(routePath(namespace, name));
  if (!live)
    throw new ModelCanaryError(
      'cluster',
      `HTTPRoute ${namespace}/${name} is gone; cannot step the canary's weight to ${weight}%.`,
      'Something removed the route during the release; run command rollback, then release again.',
    );
  const gateway = routeGateway(live) ?? { name: '?' };
  await applyRoute(client, routeAtWeight(live, weight), gateway.namespace ? gateway : { ...gateway, namespace }, fieldManager, logger);
}
