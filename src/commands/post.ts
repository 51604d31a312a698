import { createExec, ProcessCounter } from '../exec/exec.js';
import type { KubeClient } from '../kube/client.js';
import { KubeSession } from '../kube/session.js';
import type { Logger } from '../log/logger.js';
import { deleteDeployment } from '../deploy/left-behind.js';
import { releaseLease, leaseName } from '../deploy/lock.js';
import { ModelCanaryError } from '../errors.js';
import { restoreRouteWeights } from '../deploy/traffic/index.js';
import { removeCanaryEntry } from '../deploy/kserve/index.js';
import type { CleanupState } from './entry.js';
import { apiPath, isKnownKind } from '../kube/resources.js';

export interface PostOptions {
  /** PATH to find kubectl on (the post step is its own process: it opens its own kubectl proxy). */
  searchPath?: string;
  cacheDir?: string;
  /** A client to use instead of opening a session (tests). */
  client?: KubeClient;
}

type PostLog = { info(m: string): void; warn(m: string): void };

/**
 * Cleans up after a cancelled or failed run from the state main saved: deletes the objects the run created
 * and still listed (a canary, or a failed first release), then releases the lock if it still holds this
 * run's identity. Running it twice is harmless: missing objects and a lock held by someone else are left.
 * Returns what it did, one line each.
 */
export async function runPost(saved: string, log: PostLog, options: PostOptions = {}): Promise<string[]> {
  if (!saved) {
    log.info('model-canary post: main saved no state (it did not get as far as loading the config); nothing to clean.');
    return [];
  }
  let state: CleanupState;
  try {
    state = JSON.parse(saved) as CleanupState;
  } catch {
    log.warn('model-canary post: the saved state is not readable; nothing was cleaned.');
    return [];
  }
  const namespace = state.namespace ?? 'default';
  const routes = state.routes ?? [];
  const entries = state.kserveCanaries ?? [];
  if (state.created.length === 0 && !state.lockHeld && routes.length === 0 && entries.length === 0) {
    log.info(`model-canary post: ${state.command} of ${state.model ?? 'the model'} left nothing to clean.`);
    return [];
  }
  const logger = asLogger(log);
  const session = options.client ? undefined : openSession(logger, options, state.context);
  const done: string[] = [];
  try {
    const client = options.client ?? (await session?.client());
    if (!client) return done;
    // Traffic first: the canary's Service must not be deleted while a route still sends to it.
    for (const route of routes) {
      try {
        const restored = await restoreRouteWeights(client, namespace, route.name, route.fieldManager, logger, 10_000);
        done.push(restored ? `sent all traffic of HTTPRoute/${route.name} back to stable` : `HTTPRoute/${route.name} sends nothing to a canary`);
      } catch (err) {
        log.warn(`model-canary post: could not send HTTPRoute/${route.name} back to stable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const e of entries) {
      try {
        const removed = await removeCanaryEntry(client, namespace, e.isvc, e.entry, e.fieldManager);
        done.push(removed ? `removed canary ${e.entry} from InferenceService/${e.isvc} (spec.canary)` : `InferenceService/${e.isvc} has no canary ${e.entry}`);
      } catch (err) {
        log.warn(`model-canary post: could not remove canary ${e.entry} from InferenceService/${e.isvc}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const key of [...state.created].reverse()) {
      const [kind = '', ...rest] = key.split('/');
      const name = rest.join('/');
      if (!isKnownKind(kind) || !name) {
        log.warn(`model-canary post: cannot delete ${key} (unknown kind); delete it by hand.`);
        continue;
      }
      try {
        // A Deployment the Role will not delete is scaled to 0 at least, so a canary left behind serves nothing.
        const deleted = kind === 'Deployment' ? await deleteDeployment(client, namespace, name) : await client.delete(apiPath(kind, namespace, name));
        done.push(`${deleted ? 'deleted' : 'already gone:'} ${key}`);
      } catch (err) {
        log.warn(
          `model-canary post: could not delete ${key} in ${namespace}: ${err instanceof ModelCanaryError ? err.userMessage : err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    if (state.lockHeld && state.model && state.runId) {
      try {
        const released = await releaseLease(client, namespace, state.model, state.runId);
        done.push(released ? `released the lock ${leaseName(state.model)}` : `the lock ${leaseName(state.model)} is not held by this run; left alone`);
      } catch (err) {
        log.warn(
          `model-canary post: could not release the lock ${leaseName(state.model)}: ${err instanceof Error ? err.message : String(err)}; it expires by itself.`,
        );
      }
    }
  } catch (err) {
    const left = [
      ...routes.map((r) => `canary weights on HTTPRoute/${r.name} (remove its canary backendRef by hand)`),
      ...entries.map((e) => `canary ${e.entry} in spec.canary of InferenceService/${e.isvc} (remove the entry by hand)`),
      ...state.created.map((o) => `${o} in namespace ${namespace}`),
      ...(state.lockHeld ? [`the lock Lease ${leaseName(state.model ?? '?')} (it expires by itself)`] : []),
    ];
    log.warn(
      `model-canary post: could not reach the cluster to clean up (${err instanceof Error ? err.message : String(err)}). Left behind: ${left.join('; ')}.`,
    );
  } finally {
    await session?.close();
  }
  for (const line of done) log.info(`model-canary post: ${line} (namespace ${namespace})`);
  return done;
}

function openSession(logger: Logger, options: PostOptions, context: string | undefined): KubeSession {
  const counter = new ProcessCounter();
  const exec = createExec(logger, counter);
  const tools = { exec, logger, searchPath: options.searchPath ?? process.env['PATH'] ?? '', ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) };
  return new KubeSession(logger, counter, tools, context);
}

function asLogger(log: PostLog): Logger {
  return {
    debugEnabled: false,
    debug: () => undefined,
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m) => log.warn(m),
    group: (_title, fn) => fn(),
    setSecret: () => undefined,
  };
}
