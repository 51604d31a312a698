import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import type { CanaryState } from '../deploy/index.js';
import { notAvailable } from '../errors.js';

export { loadCases, type SmokeCase } from './cases.js';

export interface SmokeReport {
  verdict: 'pass' | 'fail';
  errorRate: number;
  p95Ms: number;
}

/** Sends the smoke cases to each Ready canary pod and compares with stable. */
export async function smokeCanary(_config: Config, _canary: CanaryState, _ctx: StageContext): Promise<SmokeReport> {
  throw notAvailable('smoke');
}
