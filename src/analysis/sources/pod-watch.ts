import { podReady, podSignal } from '../../deploy/gate-signals.js';
import type { Pod } from '../../deploy/types.js';
import type { KubeClient, WatchEvent } from '../../kube/client.js';
import { keepWatching } from '../../kube/watch.js';
import type { Logger } from '../../log/logger.js';
import type { EvidenceSource, Measurements, WatchSignal } from '../types.js';
import { apiPath } from '../../kube/resources.js';

export interface WatchedTrack {
  track: WatchSignal['track'];
  /** The label selector of the track's current ReplicaSet's pods. */
  selector: string;
  maxRestarts: number;
}

/**
 * The readiness gate's pod watch, kept running through the window over the canary's and stable's pods:
 * a pod that crashes, is OOMKilled, restarts past the limit, stops being Ready, is evicted or deleted
 * ends the window at once. Restarts count from the window's start (stable's pods may have restarted
 * before).
 */
export function podWatch(client: KubeClient, namespace: string, tracks: WatchedTrack[], logger: Logger): EvidenceSource {
  const abort = new AbortController();
  const signals: WatchSignal[] = [];
  return {
    name: 'pod watch',
    async start(opened, decisive) {
      const podsPath = apiPath('Pod', namespace);
      for (const t of tracks) {
        const listed = await client.list<Pod>(podsPath, t.selector);
        const baseline = new Map(listed.items.map((p) => [p.metadata.name, restarts(p)]));
        const wasReady = new Set(listed.items.filter(podReady).map((p) => p.metadata.name));
        const raise = (pod: string, reason: string, detail: string): void => {
          const signal: WatchSignal = { track: t.track, pod, reason, detail, at: Date.now() - opened };
          signals.push(signal);
          decisive(signal);
        };
        const onPod = (e: WatchEvent<Pod>): void => {
          const pod = e.object;
          const name = pod.metadata.name;
          if (e.type === 'DELETED') {
            if (wasReady.has(name)) raise(name, 'Deleted', `pod ${name} was deleted during the window`);
            return;
          }
          if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
          if (pod.metadata.deletionTimestamp) {
            if (wasReady.has(name))
              raise(
                name,
                pod.status?.reason === 'Evicted' ? 'Evicted' : 'Terminating',
                `pod ${name} is being removed during the window${pod.status?.message ? `: ${pod.status.message}` : ''}`,
              );
            return;
          }
          if (pod.status?.reason === 'Evicted') return raise(name, 'Evicted', pod.status.message ?? `pod ${name} was evicted`);
          const before = baseline.get(name) ?? 0;
          const signal = podSignal(withRestartsSince(pod, before), t.maxRestarts);
          // A kill recorded in lastState before the window (no restart since) is old news.
          const old =
            signal &&
            (signal.reason === 'OOMKilled' || signal.reason === 'Killed') &&
            restarts(pod) === before &&
            !(pod.status?.containerStatuses ?? []).some((c) => c.state?.terminated);
          if (signal && !old) return raise(name, signal.reason, signal.detail);
          if (podReady(pod)) wasReady.add(name);
          else if (wasReady.has(name)) raise(name, 'NotReady', `pod ${name} stopped being Ready${lastExit(pod)}`);
        };
        void keepWatching(client, podsPath, { labelSelector: t.selector }, listed.metadata.resourceVersion, onPod, abort.signal, logger);
      }
    },
    measure(into: Measurements) {
      into.signals.push(...signals);
    },
    async stop() {
      abort.abort();
    },
  };
}

const restarts = (p: Pod): number => (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);

/** The pod with each container's restart count taken from the window's start, so old restarts do not count. */
function withRestartsSince(pod: Pod, before: number): Pod {
  if (before === 0 || !pod.status?.containerStatuses) return pod;
  let left = before;
  const containerStatuses = pod.status.containerStatuses.map((c) => {
    const take = Math.min(left, c.restartCount);
    left -= take;
    return { ...c, restartCount: c.restartCount - take };
  });
  return { ...pod, status: { ...pod.status, containerStatuses } };
}

function lastExit(pod: Pod): string {
  for (const c of pod.status?.containerStatuses ?? []) {
    const t = c.state?.terminated ?? c.lastState?.terminated;
    if (t) return ` (container ${c.name} exited with code ${t.exitCode ?? '?'}${t.reason ? `, ${t.reason}` : ''})`;
  }
  return '';
}
