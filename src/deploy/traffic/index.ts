import type { CleanupRecorder } from '../../core/context.js';
import { ModelCanaryError } from '../../errors.js';
import type { KubeClient } from '../../kube/client.js';
import type { Logger } from '../../log/logger.js';
import { CANARY_OF, isCanaryName } from '../canary-plan.js';
import { describeWeights, routeGateway, routeState, routeToStable, type Gateway, type HTTPRoute, type Service } from './plan.js';
import { apiPath } from '../../kube/resources.js';

export * from './plan.js';

/** How long the Gateway's controller gets to accept a route change before we go on without its word. */
export const ROUTE_SETTLE_MS = 30_000;

export const routePath = (namespace: string, name: string): string => apiPath('HTTPRoute', namespace, name);
const servicePath = (namespace: string, name: string): string => apiPath('Service', namespace, name);

/**
 * Applies a route (server-side, our field manager) and waits until the Gateway's controller has accepted
 * this generation with its backends resolved. A refusal (not Accepted, a backend it cannot resolve) fails
 * with the controller's reason; no word within the budget is a warning (a controller that writes no status
 * still routes), not a failure.
 */
export async function applyRoute(
  client: KubeClient,
  route: HTTPRoute,
  gateway: Gateway,
  fieldManager: string,
  logger: Logger,
  budgetMs = ROUTE_SETTLE_MS,
): Promise<HTTPRoute> {
  const applied = await client.apply(route, fieldManager);
  logger.info(`applied HTTPRoute/${route.metadata.name}: ${describeWeights(route)}`);
  return waitForRoute(client, applied, gateway, logger, budgetMs);
}

export async function waitForRoute(client: KubeClient, applied: HTTPRoute, gateway: Gateway, logger: Logger, budgetMs = ROUTE_SETTLE_MS): Promise<HTTPRoute> {
  const namespace = applied.metadata.namespace ?? '';
  const path = routePath(namespace, applied.metadata.name);
  const started = Date.now();
  let live: HTTPRoute | undefined = applied;
  for (;;) {
    const state = live ? routeState(live, gateway) : { state: 'pending' as const };
    if (state.state === 'ready' && live) {
      logger.info(`HTTPRoute/${applied.metadata.name} accepted by Gateway ${gatewayName(gateway)} after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
      return live;
    }
    if (state.state === 'refused') {
      throw new ModelCanaryError(
        'cluster',
        `Gateway ${gatewayName(gateway)} refused HTTPRoute ${namespace}/${applied.metadata.name}: ${state.reason}.`,
        'Check canary.gateway (name and namespace), that the Gateway allows routes from this namespace (listeners[].allowedRoutes), and that the stable and canary Services exist.',
      );
    }
    if (Date.now() - started > budgetMs) {
      logger.warn(
        `No controller of Gateway ${gatewayName(gateway)} reported on HTTPRoute ${namespace}/${applied.metadata.name} within ${Math.round(budgetMs / 1000)}s; going on (is a Gateway API implementation running?).`,
      );
      return live ?? applied;
    }
    await new Promise((r) => setTimeout(r, 250));
    live = await client.get<HTTPRoute>(path);
  }
}

/**
 * Sends all of a route's traffic back to stable (the canary's backendRefs removed), waiting up to the budget
 * for the controller to accept it. False when there is no route or it sends nothing to the canary. The post
 * step calls this with the field manager the run saved.
 */
export async function restoreRouteWeights(
  client: KubeClient,
  namespace: string,
  name: string,
  fieldManager: string,
  logger: Logger,
  budgetMs = ROUTE_SETTLE_MS,
): Promise<boolean> {
  const live = await client.get<HTTPRoute>(routePath(namespace, name));
  const restored = live ? routeToStable(live) : undefined;
  if (!live || !restored) return false;
  const gateway = routeGateway(live) ?? { name: '?' };
  await applyRoute(client, restored, gateway.namespace ? gateway : { ...gateway, namespace }, fieldManager, logger, budgetMs);
  logger.info(`HTTPRoute/${name} sends all traffic to stable again.`);
  return true;
}

/** restoreRouteWeights for a run: the cleanup recorder no longer lists the route. */
export async function sendAllToStable(
  client: KubeClient,
  namespace: string,
  name: string,
  fieldManager: string,
  cleanup: CleanupRecorder,
  logger: Logger,
): Promise<boolean> {
  const restored = await restoreRouteWeights(client, namespace, name, fieldManager, logger);
  cleanup.route(name, undefined);
  return restored;
}

/** The canary's Services `<service>-canary` that are ours (annotated as a canary of `stable`). */
export async function canaryServices(client: KubeClient, namespace: string, stable: string): Promise<string[]> {
  const list = await client.list<Service>(apiPath('Service', namespace), 'track=canary');
  return list.items.filter((x) => x.metadata.annotations?.[CANARY_OF] === stable && isCanaryName(x.metadata.name)).map((x) => x.metadata.name);
}

/** Deletes the canary's Services (after the route sends them nothing). */
export async function removeCanaryServices(client: KubeClient, namespace: string, stable: string, cleanup: CleanupRecorder, logger: Logger): Promise<void> {
  for (const name of await canaryServices(client, namespace, stable)) {
    await client.delete(servicePath(namespace, name));
    cleanup.removed(`Service/${name}`);
    logger.info(`Removed the canary Service ${name}.`);
  }
}

const gatewayName = (g: Gateway): string => (g.namespace ? `${g.namespace}/${g.name}` : g.name);
