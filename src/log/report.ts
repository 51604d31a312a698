import type { Outputs } from './host.js';

export type StageStatus = 'ok' | 'failed' | 'skipped';

export interface StageRecord {
  name: string;
  status: StageStatus;
  durationMs: number;
  /** One line saying what the stage did or why it failed. */
  detail: string;
}

/**
 * What a run did. The log's timings, the job summary and the JSON outputs are all written from this one
 * object, so the three never disagree.
 */
export interface RunReport {
  command: string;
  configPath: string;
  startedAt: string;
  stages: StageRecord[];
  outputs: Outputs;
  /** Markdown sections a command adds to the summary (the plan, a verdict table). */
  sections: string[];
  error?: { kind: string; message: string; hint?: string };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}
