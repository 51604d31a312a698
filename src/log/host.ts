import type { Logger } from './logger.js';

/** Outputs of a run; every name here is declared in action.yml (a contract test checks both ways). */
export const OUTPUT_NAMES = [
  'image',
  'digest',
  'verdict',
  'revision',
  'report',
  'error-rate',
  'p95-ms',
  'analysis',
  'analysis-pairs',
  'latency-ratio',
  'error-rate-bound',
  'agreement',
  'deployment-id',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];
export type Outputs = Record<OutputName, string>;

/** Everything a run says to the world, implemented once for the action and once for the CLI. */
export interface Host {
  logger: Logger;
  setOutputs(outputs: Outputs): void;
  writeSummary(markdown: string): Promise<void>;
  /** Hands a value from the main step to the post step. */
  saveState(name: string, value: string): void;
}

export function emptyOutputs(): Outputs {
  return Object.fromEntries(OUTPUT_NAMES.map((n) => [n, ''])) as Outputs;
}
