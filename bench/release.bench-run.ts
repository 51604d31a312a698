import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ProcessCounter } from '../src/exec/exec.js';
import type { KubeClient } from '../src/kube/client.js';
import { KubeSession } from '../src/kube/session.js';
import { kubectlJson, uniqueName } from '../test/e2e/cluster-env.js';
import { asServiceAccount } from '../test/e2e/deploy-env.js';
import { describeFailures, Prober, release, releaseSet, serviceAddress, waitRoutable, type ReleaseRun } from '../test/e2e/fixtures/release-prober.js';

// The release benchmark: one run on the real cluster, in a restricted namespace as the ServiceAccount of
// docs/rbac.yaml, of the example: v1 (first deploy), v2 with smoke off (promoted), a v2 that crashes at start
// (rolled back), a good v2 through a 30 s analysis window, a v2 that exits 20 s after Ready in a 60 s window, with a prober sending a V2 inference to the Service's ClusterIP every 50 ms meanwhile.
//   npx vitest run --config bench/release.config.ts
// Every figure printed is measured in this run.

const ns = uniqueName('bench-release');
const stamp = Date.now().toString(36);
let restore: (() => Promise<void>) | undefined;
let prober: Prober | undefined;

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
}, 300_000);

afterAll(async () => {
  await prober?.stop();
  vi.restoreAllMocks();
  await restore?.();
});

interface Counted {
  run: ReleaseRun;
  kubectl: number;
  processes: Record<string, number>;
  requests: number | undefined;
}

/** Runs a release, reading the ProcessCounter and the KubeClient that runEntry creates for it. */
async function counted(tag: string, set: string[]): Promise<Counted> {
  const sessions = new Set<KubeSession>();
  const clients: Promise<KubeClient>[] = [];
  const original = KubeSession.prototype.client;
  const spy = vi.spyOn(KubeSession.prototype, 'client').mockImplementation(function (this: KubeSession) {
    sessions.add(this);
    const client = original.call(this);
    clients.push(client);
    return client;
  });
  try {
    const run = await release(ns, tag, set);
    expect(sessions.size).toBe(1);
    const [session] = [...sessions];
    // runEntry hands its ProcessCounter to the session (private at compile time only).
    const counter = (session as unknown as { counter: ProcessCounter }).counter;
    expect(counter).toBeInstanceOf(ProcessCounter);
    const unique = [...new Set(await Promise.all(clients))];
    const requests = unique.length === 1 ? unique[0]?.requests : undefined;
    return { run, kubectl: counter.get('kubectl'), processes: counter.snapshot(), requests };
  } finally {
    spy.mockRestore();
  }
}

interface CanaryPods {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    status?: {
      containerStatuses?: {
        state?: { waiting?: { reason?: string }; terminated?: { finishedAt?: string } };
        lastState?: { terminated?: { finishedAt?: string } };
      }[];
    };
  }[];
}

/** Watches the canary's pods as admin (every 200 ms) for the first container exit, until stopped. */
function watchCanaryPods(): { stop(): Promise<{ firstExitSeenAt?: number; firstExitAt?: number; firstBackOffSeenAt?: number }> } {
  let stopped = false;
  const seen: { firstExitSeenAt?: number; firstExitAt?: number; firstBackOffSeenAt?: number } = {};
  const loop = (async () => {
    while (!stopped) {
      const pods = await kubectlJson<CanaryPods>(['-n', ns, 'get', 'pods', '-l', 'track=canary']).catch(() => ({ items: [] }) as CanaryPods);
      const now = Date.now();
      for (const p of pods.items) {
        for (const c of p.status?.containerStatuses ?? []) {
          const finished = c.state?.terminated?.finishedAt ?? c.lastState?.terminated?.finishedAt;
          if (finished && seen.firstExitSeenAt === undefined) {
            seen.firstExitSeenAt = now;
            seen.firstExitAt = Date.parse(finished);
          }
          if (c.state?.waiting?.reason === 'CrashLoopBackOff' && seen.firstBackOffSeenAt === undefined) seen.firstBackOffSeenAt = now;
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

/** Polls the canary's pods as admin: when all were terminating, and when none was left. */
async function canaryPodsGone(): Promise<{ terminating: number; gone: number }> {
  const started = Date.now();
  let terminating: number | undefined;
  for (;;) {
    const pods = await kubectlJson<CanaryPods>(['-n', ns, 'get', 'pods', '-l', 'track=canary']);
    if (terminating === undefined && pods.items.every((p) => p.metadata.deletionTimestamp)) terminating = Date.now();
    if (pods.items.length === 0) return { terminating: terminating ?? Date.now(), gone: Date.now() };
    if (Date.now() - started > 120_000) throw new Error(`canary pods still there: ${pods.items.map((p) => p.metadata.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const s = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

it('release: overhead, failure detection, rollback, processes, API requests, prober', async () => {
  const v1 = await counted(`bench-v1-${stamp}`, releaseSet(['model.version="1.0.0"', 'image.buildArgs.VARIANT=v1', 'smoke.enabled=false']));
  expect(v1.run.code, v1.run.host.log).toBe(0);

  const url = await serviceAddress(ns, 'iris');
  const routable = await waitRoutable(url);
  prober = new Prober(url, { intervalMs: 50, timeoutMs: 5_000, maxRequests: 12_000, maxMs: 480_000 });
  prober.start();
  const warm = Date.now() + 10_000;
  while (prober.results.filter((r) => r.ok).length < 5 && Date.now() < warm) await new Promise((r) => setTimeout(r, 100));

  // v2 with smoke off: Ready → verdict is the tool's own work plus the stable rollout's pods starting.
  const v2 = await counted(
    `bench-v2-${stamp}`,
    releaseSet(['model.version="2.0.0"', 'image.buildArgs.VARIANT=v2', 'smoke.enabled=false', 'analysis.duration=0s', 'analysis.postPromotion=0s']),
  );
  expect(v2.run.code, v2.run.host.log).toBe(0);
  expect(v2.run.host.outputs?.verdict).toBe('promoted');
  const log2 = v2.run.host.logger;
  const canaryReady = log2.timeOf(/^iris-canary: \d+ pod\(s\) Ready in/);
  const promoting = log2.timeOf(/^Promoting iris to /);
  const stableGating = log2.timeOf(/^Gating stable Deployment iris:/, promoting ?? 0);
  const removed = log2.timeOf(/^Removed the canary Deployment iris-canary/);
  const verdict2 = log2.timeOf(/^Recorded revision \d+ \(promoted\)/);
  const stableGateMs = Number(/Stable rollout \| \d+ pod\(s\) Ready in ([\d.]+)s/.exec(v2.run.host.summary)?.[1] ?? NaN) * 1000;
  const readyToVerdict = verdict2 !== undefined && canaryReady !== undefined ? verdict2 - canaryReady : undefined;
  const overhead = readyToVerdict !== undefined ? readyToVerdict - stableGateMs : undefined;

  // The crashing build: the gate's first decisive signal → verdict, and the canary's pods gone after it.
  const pods = watchCanaryPods();
  const broken = await counted(
    `bench-broken-${stamp}`,
    releaseSet([
      'model.version="2.0.1"',
      'image.buildArgs.VARIANT=v2',
      'render.values.settings.MODEL_FAULT=crash',
      'smoke.enabled=false',
      'analysis.duration=0s',
      'analysis.postPromotion=0s',
    ]),
  );
  const { terminating, gone } = await canaryPodsGone();
  const seen = await pods.stop();
  expect(broken.run.host.outputs?.verdict, broken.run.host.log).toBe('rolled-back');
  const logB = broken.run.host.logger;
  const verdictLine = /^Verdict rolled-back ([\d.]+)s after the gate saw (\S+)\./.exec(logB.lines.find((l) => l.startsWith('Verdict rolled-back')) ?? '');
  const verdictB = logB.timeOf(/^Verdict rolled-back/);
  const recordedB = logB.timeOf(/^Recorded revision \d+ \(rolled-back\)/);
  const detectedToVerdict = verdictLine ? Number(verdictLine[1]) * 1000 : undefined;
  const gateRow = /\| Gate \| ([^|]+) \|/.exec(broken.run.host.summary)?.[1]?.trim();
  const canaryRemoved = logB.timeOf(/^Removed the canary Deployment iris-canary/);
  const deployFailed = logB.timeOf(/^deploy failed after/);

  // The analysis window on a good canary: what the tool adds beyond the configured window.
  const WINDOW_S = 30;
  const good = await counted(
    `bench-good-${stamp}`,
    releaseSet([
      'model.version="2.0.2"',
      'image.buildArgs.VARIANT=v2',
      'smoke.enabled=false',
      `analysis.duration=${WINDOW_S}s`,
      'analysis.load.rps=5',
      'analysis.postPromotion=0s',
    ]),
  );
  const logG = good.run.host.logger;
  const windowOpened = logG.timeOf(/^Analysis window \d+s:/);
  const windowJudged = logG.timeOf(/^analysis (pass|fail|inconclusive):/);
  const goodOutcome = /^analysis (\w+):/.exec(logG.lines.find((l) => /^analysis (pass|fail|inconclusive):/.test(l)) ?? '')?.[1];
  const windowOverhead = windowOpened !== undefined && windowJudged !== undefined ? windowJudged - windowOpened - WINDOW_S * 1000 : undefined;
  const beyondWindow = good.run.endedAt - good.run.startedAt - WINDOW_S * 1000;

  // A canary that exits 20 s after Ready, in a 60 s window: the pod watch's signal → the window's end.
  const late = await counted(
    `bench-late-${stamp}`,
    releaseSet([
      'model.version="2.0.3"',
      'image.buildArgs.VARIANT=v2',
      'smoke.enabled=false',
      'analysis.duration=60s',
      'analysis.load.rps=5',
      'analysis.postPromotion=0s',
      'render.values.settings.MODEL_FAULT=exit-after-ready',
      'render.values.settings.MODEL_FAULT_AFTER_SECONDS="20"',
    ]),
  );
  expect(late.run.host.outputs?.verdict, late.run.host.log).toBe('rolled-back');
  const lateLog = late.run.host.logger;
  const signalToEnd = Number(/The window ended ([\d.]+)s after the pod watch saw/.exec(lateLog.lines.join('\n'))?.[1] ?? NaN) * 1000;
  const lateOpened = lateLog.timeOf(/^Analysis window \d+s:/);
  const lateRecorded = lateLog.timeOf(/^Recorded revision \d+ \(rolled-back\)/);

  await new Promise((r) => setTimeout(r, 2_000));
  await prober.stop();
  const failedPromote = prober.failures(v2.run.startedAt, v2.run.endedAt);
  const failedRollback = prober.failures(broken.run.startedAt, gone);

  const rows: [string, string, string][] = [
    ['tool overhead, canary Ready → verdict, smoke off', s(overhead), '<= 2 s'],
    ['  canary Ready → verdict (total)', s(readyToVerdict), ''],
    ['  of which the stable rollout gate (pods starting)', s(stableGateMs), ''],
    ['  canary Ready → "Promoting"', s(promoting !== undefined && canaryReady !== undefined ? promoting - canaryReady : undefined), ''],
    ['  "Promoting" → stable gate starts', s(stableGating !== undefined && promoting !== undefined ? stableGating - promoting : undefined), ''],
    ['  canary removed → verdict recorded', s(verdict2 !== undefined && removed !== undefined ? verdict2 - removed : undefined), ''],
    [`crash: gate's decisive signal (${verdictLine?.[2] ?? '?'}) → verdict`, s(detectedToVerdict), '<= 15 s (kubectl rollout status: 600 s progress deadline)'],
    ['  gate failed ("deploy failed" line) → verdict line', s(verdictB !== undefined && deployFailed !== undefined ? verdictB - deployFailed : undefined), ''],
    [
      '  first container exit (finishedAt, 1 s) → verdict',
      s(verdictB !== undefined && seen.firstExitAt !== undefined ? verdictB - seen.firstExitAt : undefined),
      '',
    ],
    [
      '  first exit seen by an outside poll → verdict',
      s(verdictB !== undefined && seen.firstExitSeenAt !== undefined ? verdictB - seen.firstExitSeenAt : undefined),
      '',
    ],
    ['  gate', gateRow ?? 'n/a', ''],
    ['rollback complete after the verdict (canary pods gone)', s(verdictB !== undefined ? gone - verdictB : undefined), '<= 3 s'],
    ['  verdict → every canary pod terminating', s(verdictB !== undefined ? Math.max(0, terminating - verdictB) : undefined), ''],
    ['  canary Deployment removed → verdict', s(verdictB !== undefined && canaryRemoved !== undefined ? verdictB - canaryRemoved : undefined), ''],
    ['  verdict → history recorded', s(recordedB !== undefined && verdictB !== undefined ? recordedB - verdictB : undefined), ''],
    [
      `analysis window ${WINDOW_S} s on a good canary: outcome`,
      `${goodOutcome ?? 'n/a'} (${good.run.host.outputs?.['analysis-pairs'] || '?'} pairs), ${good.run.host.outputs?.verdict ?? '?'}`,
      'pass, promoted',
    ],
    ['  tool overhead of the window beyond its configured length', s(windowOverhead), '<= 2 s'],
    ['  release wall time beyond the window', s(beyondWindow), ''],
    ['exit 20 s after Ready, 60 s window: pod watch signal → window ended', s(signalToEnd), '<= 5 s'],
    ['  window opened → rolled back and recorded', s(lateRecorded !== undefined && lateOpened !== undefined ? lateRecorded - lateOpened : undefined), ''],
    ['kubectl processes per release (ProcessCounter): v1 / v2 / crash', `${v1.kubectl} / ${v2.kubectl} / ${broken.kubectl}`, '<= 10'],
    ['API requests per release (KubeClient.requests): v1 / v2 / crash', `${v1.requests ?? 'n/a'} / ${v2.requests ?? 'n/a'} / ${broken.requests ?? 'n/a'}`, ''],
    ['first release: Service routable after the v1 verdict', s(routable), ''],
    [
      'release wall time: v1 / v2 / crash',
      `${s(v1.run.endedAt - v1.run.startedAt)} / ${s(v2.run.endedAt - v2.run.startedAt)} / ${s(broken.run.endedAt - broken.run.startedAt)}`,
      '',
    ],
    ['failed prober requests during promote', `${failedPromote.length} of ${prober.count(v2.run.startedAt, v2.run.endedAt)}`, '0'],
    ['failed prober requests during rollback', `${failedRollback.length} of ${prober.count(broken.run.startedAt, gone)}`, '0'],
    ['failed prober requests in all', `${prober.failures().length} of ${prober.results.length}`, '0'],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const width1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `${'figure'.padEnd(width)} | ${'measured'.padEnd(width1)} | goal`,
    `${'-'.repeat(width)}-|-${'-'.repeat(width1)}-|-----`,
    ...rows.map(([a, b, c]) => `${a.padEnd(width)} | ${b.padEnd(width1)} | ${c}`),
  ];
  console.log(
    `\nmodel-canary release benchmark (namespace ${ns})\n${lines.join('\n')}\nprocesses started by each release: ${JSON.stringify([v1.processes, v2.processes, broken.processes])}`,
  );
  if (prober.failures().length) console.log(`failed requests:\n${describeFailures(prober.failures())}`);
  expect(prober.results.length).toBeGreaterThan(0);
});
