import type { Exec, ProcessCounter } from '../exec/exec.js';
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
}
