/** Process groups model-canary started and that still run; killed on SIGINT/SIGTERM. */
const live = new Set<number>();

export function trackChild(pid: number): void {
  live.add(pid);
}

export function untrackChild(pid: number): void {
  live.delete(pid);
}

/** Kills every live process group this process started but `keep`; returns how many were signalled. */
export function killLiveChildren(signal: NodeJS.Signals = 'SIGTERM', keep: readonly number[] = []): number {
  let killed = 0;
  for (const pid of live) {
    if (keep.includes(pid)) continue;
    try {
      process.kill(-pid, signal);
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
