import { afterEach } from 'vitest';
import { kubectl, madeNames } from './cluster-env.js';

/*
 * When an end-to-end test fails, what the cluster looked like: for every namespace the test file made,
 * each pod's phase, readiness, restarts and last termination, the newest events, and the last log lines
 * of pods that are not Ready. A failure then says why ("OOMKilled", "ImagePullBackOff", a traceback)
 * instead of only "timed out".
 */

interface PodList {
  items: {
    metadata: { name: string };
    status?: {
      phase?: string;
      containerStatuses?: {
        name: string;
        ready: boolean;
        restartCount: number;
        state?: Record<string, { reason?: string }>;
        lastState?: { terminated?: { reason?: string; exitCode?: number } };
      }[];
    };
  }[];
}

async function namespaceReport(ns: string): Promise<string | undefined> {
  const pods = await kubectl(['-n', ns, 'get', 'pods', '-o', 'json'], { allowFailure: true, timeoutMs: 15_000 });
  if (pods.exitCode !== 0) return undefined; // not a namespace, or gone
  const list = JSON.parse(pods.stdout) as PodList;
  const lines = [`--- namespace ${ns}: ${list.items.length} pod(s)`];
  const notReady: string[] = [];
  for (const pod of list.items) {
    const cs = pod.status?.containerStatuses ?? [];
    const ready = cs.length > 0 && cs.every((c) => c.ready);
    if (!ready) notReady.push(pod.metadata.name);
    const containers = cs.map((c) => {
      const now = Object.entries(c.state ?? {})
        .map(([k, v]) => (v.reason ? `${k} (${v.reason})` : k))
        .join(',');
      const last = c.lastState?.terminated ? `, last terminated ${c.lastState.terminated.reason ?? ''} exit ${c.lastState.terminated.exitCode ?? '?'}` : '';
      return `${c.name}: ${now}, ${c.restartCount} restart(s)${last}`;
    });
    lines.push(`  pod ${pod.metadata.name}: ${pod.status?.phase ?? '?'}, ${ready ? 'Ready' : 'not Ready'}; ${containers.join('; ') || 'no container status'}`);
  }
  const slices = await kubectl(['-n', ns, 'get', 'services,endpointslices', '-o', 'wide'], { allowFailure: true, timeoutMs: 15_000 });
  lines.push(
    '  services and endpoint slices:',
    ...slices.stdout
      .trim()
      .split('\n')
      .map((l) => `    ${l}`),
  );
  const events = await kubectl(
    [
      '-n',
      ns,
      'get',
      'events',
      '--sort-by=.lastTimestamp',
      '-o',
      'custom-columns=LAST:.lastTimestamp,TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message',
    ],
    { allowFailure: true, timeoutMs: 15_000 },
  );
  lines.push(
    '  newest events:',
    ...events.stdout
      .trim()
      .split('\n')
      .slice(-15)
      .map((l) => `    ${l}`),
  );
  for (const pod of notReady.slice(0, 3)) {
    const logs = await kubectl(['-n', ns, 'logs', pod, '--all-containers', '--tail=15'], { allowFailure: true, timeoutMs: 15_000 });
    lines.push(
      `  last log lines of ${pod}:`,
      ...`${logs.stdout}${logs.stderr}`
        .trim()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  return lines.join('\n');
}

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const reports: string[] = [];
  for (const name of madeNames) {
    try {
      const report = await namespaceReport(name);
      if (report) reports.push(report);
    } catch (err) {
      reports.push(`--- namespace ${name}: could not be read (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (reports.length > 0) console.error([`cluster state after the failure of "${context.task.name}":`, ...reports].join('\n'));
}, 120_000);
