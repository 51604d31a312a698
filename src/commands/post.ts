import type { CleanupState } from './entry.js';

/**
 * Cleans up after a cancelled or failed run from the state main saved. Running it twice is harmless:
 * it only acts on what the state lists. This version's deploy stage creates nothing, so there is
 * nothing to remove yet; it says what it found.
 */
export async function runPost(saved: string, log: { info(m: string): void; warn(m: string): void }): Promise<string[]> {
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
  const todo = [...state.created.map((o) => `delete ${o} in namespace ${state.namespace ?? '?'}`)];
  if (state.lockHeld) todo.push(`release the lock Lease model-canary-${state.model ?? '?'}`);
  if (todo.length === 0) {
    log.info(`model-canary post: ${state.command} of ${state.model ?? 'the model'} left nothing to clean.`);
  } else {
    for (const item of todo) log.info(`model-canary post: would ${item}`);
  }
  return todo;
}
