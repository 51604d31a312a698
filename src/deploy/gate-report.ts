import { ModelCanaryError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { eventTime, REASON_HINTS, type Signal } from './gate-signals.js';
import type { KubeEvent, Pod } from './types.js';
import { apiPath } from '../kube/resources.js';

/** The readiness gate said no: which pod, why, what Kubernetes and the container said. */
export class GateFailure extends ModelCanaryError {
  constructor(
    message: string,
    readonly signal: Signal,
    /** When the gate saw the signal (ms since the epoch). */
    readonly detectedAt: number,
    /** When the gate started (ms since the epoch). */
    readonly startedAt: number,
  ) {
    super('model', message, REASON_HINTS[signal.reason] ?? 'Fix the model server and release again.');
    this.name = 'GateFailure';
  }
}

/** The failure message: the pod, the reason, its last events and the last log lines of the failing container. */
export async function describeFailure(
  client: KubeClient,
  namespace: string,
  label: string,
  signal: Signal,
  pod: Pod | undefined,
  seen: KubeEvent[],
): Promise<string> {
  const lines = [
    `${label} ${pod ? `pod ${signal.object}` : signal.object} failed: ${signal.reason}${signal.container ? ` (container ${signal.container})` : ''}: ${signal.detail}`,
  ];
  const events = await lastEvents(client, namespace, signal.object, seen);
  if (events.length > 0)
    lines.push(
      'Last events:',
      ...events.map(
        (e) => `  ${e.type ?? ''} ${e.reason ?? ''}: ${(e.message ?? '').replace(/\s+/g, ' ').trim()}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`,
      ),
    );
  if (pod) {
    const container = signal.container ?? pod.spec?.containers?.[0]?.name;
    if (container) {
      const logs = await lastLogs(client, namespace, pod, container);
      if (logs) lines.push(`Last log lines of container ${container} (${logs.which}):`, ...logs.lines.map((l) => `  ${l}`));
      else lines.push(`Container ${container} wrote no log lines.`);
    }
  }
  return lines.join('\n');
}

async function lastEvents(client: KubeClient, namespace: string, object: string, seen: KubeEvent[]): Promise<KubeEvent[]> {
  let events = seen.filter((e) => e.involvedObject.name === object);
  try {
    const query = `?fieldSelector=${encodeURIComponent(`involvedObject.name=${object}`)}`;
    const list = await client.get<{ items: KubeEvent[] }>(`${apiPath('Event', namespace)}${query}`);
    if (list && list.items.length > 0) events = list.items;
  } catch {
    // the watched events are enough
  }
  return [...events].sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? '')).slice(-5);
}

/** The last 20 log lines: of the previous run when the container restarted, else of the current one. */
async function lastLogs(client: KubeClient, namespace: string, pod: Pod, container: string): Promise<{ which: string; lines: string[] } | undefined> {
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c) => c.name === container);
  const order = status && status.restartCount > 0 ? [true, false] : [false, true];
  for (const previous of order) {
    const path = `${apiPath('Pod', namespace, pod.metadata.name, 'log')}?container=${encodeURIComponent(container)}&tailLines=20&previous=${previous}`;
    try {
      const text = await client.get<unknown>(path);
      const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
      const lines = body
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-20);
      if (lines.length > 0)
        return { which: previous ? 'previous run' : 'current run', lines: lines.map((l) => (l.length > 400 ? `${l.slice(0, 397)}...` : l)) };
    } catch {
      // no such run (never started, or no previous): try the other
    }
  }
  return undefined;
}
