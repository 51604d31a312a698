/** Process groups model-canary started and that still run; killed on SIGINT/SIGTERM. */
const live = new Set<number>();

export function trackChild(pid: number): void {
  live.add(pid);
}

export function untrackChild(pid: number): void {
  live.delete(pid);
}

/** Kills every live process group this process started; returns how many were signalled. */
export function killLiveChildren(signal: NodeJS.Signals = 'SIGTERM'): number {
  let killed = 0;
  for (const pid of live) {
    try {
      process.kill(-pid, signal);
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
