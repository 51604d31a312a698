import { loadConfig } from '../config/load.js';
import type { RawInputs, RunEnvironment } from '../config/inputs.js';
import { asModelCanaryError, ModelCanaryError } from '../errors.js';
import { createExec, killLiveChildren, ProcessCounter } from '../exec/exec.js';
import { emptyOutputs, type Host } from '../log/host.js';
import type { RunReport } from '../log/report.js';
import type { Logger } from '../log/logger.js';
import { renderSummary } from '../log/summary.js';
import type { CleanupRecorder, StageContext } from '../core/context.js';
import { runCommand } from './run.js';
import { runPost } from './post.js';

/** How long a cancelled run's pipeline gets to unwind before the cleanup record is used directly. */
const CANCEL_BUDGET_MS = 1200;
import { KubeSession } from '../kube/session.js';
import { maskInputCredentials, openKubeconfig } from '../credentials/run.js';

/** State the main step hands to the post step, which cleans up after a cancelled or failed run. */
export interface CleanupState {
  command: string;
  model?: string;
  namespace?: string;
  /** Objects this run created that must not outlive it (kind/name). */
  created: string[];
  lockHeld: boolean;
  /** The run's identity (the lock's holder), so the post step releases only a lock this run holds. */
  runId?: string;
  /** The kubeconfig context the run used. */
  context?: string;
  /** The 0600 file input kubeconfig was written to; the post step removes it. */
  kubeconfigFile?: string;
  /** HTTPRoutes whose weights this run shifted to a canary (strategy traffic): the post step sends them back to stable. */
  routes?: { name: string; fieldManager: string }[];
  /** spec.canary entries this run added (strategy kserve, Standard mode): the post step removes them. */
  kserveCanaries?: { isvc: string; entry: string; fieldManager: string }[];
}

/**
 * What the action, the CLI and the tests all run: load the config once, run the command, then always set
 * the outputs and write the summary. Returns the process exit code.
 */
export async function runEntry(host: Host, inputs: RawInputs, env: RunEnvironment): Promise<number> {
  const { logger } = host;
  const report: RunReport = {
    command: inputs.command || 'release',
    configPath: inputs.config,
    startedAt: new Date().toISOString(),
    stages: [],
    outputs: emptyOutputs(),
    sections: [],
  };
  let cleanupState: CleanupState | undefined;
  let kube: KubeSession | undefined;
  const cancel = cancelOnSignal(
    logger,
    () => kube,
    () => cleanupState,
  );
  let exitCode = 0;
  let restoreKubeconfig: (() => void) | undefined;
  try {
    maskInputCredentials(logger, inputs, env);
    const config = loadConfig(inputs, env);
    const cleanup: CleanupState = (cleanupState = {
      command: config.run.command,
      model: config.model.name,
      namespace: config.cluster.namespace,
      created: [],
      lockHeld: false,
      runId: config.run.runId,
      ...(config.cluster.context ? { context: config.cluster.context } : {}),
    });
    restoreKubeconfig = openKubeconfig(config, cleanup, logger);
    host.saveState('cleanup', JSON.stringify(cleanup));
    const counter = new ProcessCounter();
    const exec = createExec(logger, counter);
    const tools = { exec, logger, searchPath: env.searchPath, ...(env.cacheDir ? { cacheDir: env.cacheDir } : {}) };
    kube = new KubeSession(logger, counter, tools, config.cluster.context);
    const ctx: StageContext = {
      host,
      exec,
      counter,
      report,
      tools,
      kube,
      cleanup: cleanupRecorder(cleanup, (state) => host.saveState('cleanup', JSON.stringify(state))),
      signal: cancel.signal,
    };
    await runCommand(config, ctx);
  } catch (err) {
    exitCode = cancel.signal.aborted ? 130 : 1;
    const error = asModelCanaryError(err);
    report.error = { kind: error.kind, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    if (report.outputs.verdict === '' || report.outputs.verdict === 'planned') report.outputs.verdict = 'failed';
    logger.error(error.userMessage);
    if (logger.debugEnabled || error.kind === 'internal') debugStack(host, err);
  } finally {
    cancel.settled();
    await kube?.close();
    restoreKubeconfig?.();
    cancel.dispose();
  }
  try {
    host.setOutputs(report.outputs);
  } catch (err) {
    exitCode = 1;
    logger.error(`Could not set the step outputs: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await host.writeSummary(renderSummary(report));
  } catch (err) {
    logger.warn(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
  }
  return exitCode;
}

/**
 * Cancel (SIGINT from Ctrl-C, or the runner's SIGINT/SIGTERM on a cancelled job): the run stops, and
 * what it started is removed through the run's own kubectl proxy, which is kept alive for that. The
 * pipeline removes its canary as it unwinds; if it has not finished within CANCEL_BUDGET_MS, the same
 * cleanup the post step does runs here from the cleanup record, and the process exits. `settled` once the
 * pipeline has unwound; `dispose` when the run is over.
 */
function cancelOnSignal(
  logger: Logger,
  kube: () => KubeSession | undefined,
  cleanupState: () => CleanupState | undefined,
): { signal: AbortSignal; settled: () => void; dispose: () => void } {
  const cancel = new AbortController();
  let forced: NodeJS.Timeout | undefined;
  const forceCleanup = async (): Promise<void> => {
    logger.warn('The pipeline did not unwind in time: cleaning up from the cleanup record.');
    try {
      const session = kube();
      const client = session ? await Promise.race([session.client(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 300))]) : undefined;
      const state = cleanupState();
      if (state)
        await Promise.race([
          runPost(JSON.stringify(state), { info: (m) => logger.info(m), warn: (m) => logger.warn(m) }, client ? { client } : {}),
          new Promise((r) => setTimeout(r, 1500)),
        ]);
    } finally {
      killLiveChildren('SIGKILL');
      process.exit(130);
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) {
      logger.warn(`Received ${signal} again: exiting now; the post step (or command rollback) removes what is left.`);
      process.exit(130);
    }
    cancel.abort();
    const proxyPid = kube()?.proxyPid;
    const killed = killLiveChildren('SIGTERM', proxyPid !== undefined ? [proxyPid] : []);
    logger.warn(
      `Received ${signal}: cancelling; stopped ${killed} running command(s); removing the canary, sending traffic back to stable and releasing the lock.`,
    );
    forced = setTimeout(() => void forceCleanup(), CANCEL_BUDGET_MS);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: cancel.signal,
    settled: () => {
      if (forced) clearTimeout(forced);
    },
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

function debugStack(host: Host, err: unknown): void {
  if (!host.logger.debugEnabled) return;
  const stack = err instanceof Error ? err.stack : undefined;
  if (stack) host.logger.debug(stack);
  if (err instanceof ModelCanaryError && err.cause instanceof Error && err.cause.stack) host.logger.debug(err.cause.stack);
}

/** Keeps the cleanup state current and saved as a stage creates and removes things. */
export function cleanupRecorder(state: CleanupState, save: (state: CleanupState) => void): CleanupRecorder {
  return {
    created: (o) => {
      if (!state.created.includes(o)) state.created.push(o);
      save(state);
    },
    removed: (o) => {
      state.created = state.created.filter((c) => c !== o);
      save(state);
    },
    lock: (held) => {
      state.lockHeld = held;
      save(state);
    },
    route: (name, fieldManager) => {
      const others = (state.routes ?? []).filter((r) => r.name !== name);
      state.routes = fieldManager === undefined ? others : [...others, { name, fieldManager }];
      save(state);
    },
    kserveCanary: (isvc, entry, fieldManager) => {
      const others = (state.kserveCanaries ?? []).filter((c) => c.isvc !== isvc);
      state.kserveCanaries = entry === undefined ? others : [...others, { isvc, entry, fieldManager }];
      save(state);
    },
  };
}
