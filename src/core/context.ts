import type { Exec, ProcessCounter } from '../exec/exec.js';
import type { KubeSession } from '../kube/session.js';
import type { Host } from '../log/host.js';
import type { RunReport } from '../log/report.js';
import type { ToolDeps } from '../tools/resolve.js';

/** What every stage gets besides the config: how to log, run commands and find tools. */
export interface StageContext {
  host: Host;
  exec: Exec;
  counter: ProcessCounter;
  report: RunReport;
  tools: ToolDeps;
  /** The cluster, reached through one `kubectl proxy` opened on first use and closed when the run ends. */
  kube: KubeSession;
  /** Records what the post step must clean up if this run is cancelled (saved with core.saveState). */
  cleanup: CleanupRecorder;
  /** Aborted when the run is cancelled (SIGINT, SIGTERM): long waits such as the analysis window end early. */
  signal?: AbortSignal;
}

/** What a stage tells the post step as it creates things that must not outlive a failed run. */
export interface CleanupRecorder {
  created(kindSlashName: string): void;
  removed(kindSlashName: string): void;
  lock(held: boolean): void;
  /** An HTTPRoute this run sent canary traffic through (with the field manager that did), or, undefined, sent back to stable. */
  route(name: string, fieldManager: string | undefined): void;
  /** A spec.canary entry this run added to an InferenceService (KServe Standard mode), or, undefined, removed or promoted. */
  kserveCanary(isvc: string, entry: string | undefined, fieldManager: string): void;
}
