import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { notAvailable } from '../errors.js';
import type { KubeObject } from '../render/index.js';

/** The canary after the readiness gate: its revision and Ready pods. */
export interface CanaryState {
  revision: string;
  readyPods: string[];
}

/** Applies the canary objects and waits on the readiness gate. */
export async function deployCanary(_config: Config, _objects: KubeObject[], _ctx: StageContext): Promise<CanaryState> {
  throw notAvailable('deploy');
}
