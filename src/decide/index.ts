import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { notAvailable } from '../errors.js';

export type Decision = 'promote' | 'rollback' | 'hold';

/** Promotes the canary to stable. */
export async function promote(_config: Config, _ctx: StageContext): Promise<void> {
  throw notAvailable('promote');
}

/** Removes the canary, or restores a recorded revision, leaving stable as it was. */
export async function rollback(_config: Config, _ctx: StageContext): Promise<void> {
  throw notAvailable('rollback');
}

/** Lists the releases recorded in the cluster. */
export async function status(_config: Config, _ctx: StageContext): Promise<void> {
  throw notAvailable('status');
}
