import type { SmokeConfig } from '../config/types.js';
import { brief } from './protocols/protocol.js';
import { compareWithStable, outputKind } from './compare.js';
import { summarizeLatency } from './stats.js';
import type { CaseResult, PodSummary, SmokeReport } from './types.js';

export type Judgement = Pick<SmokeReport, 'verdict' | 'errorRate' | 'p50Ms' | 'p95Ms' | 'p99Ms' | 'pods' | 'overall' | 'parity' | 'failures' | 'failingCases'>;

/**
 * Judges the canary's answers. `canary` results already carry their own case verdicts (status, outputs,
 * classes, latency limit); this adds what needs all of them: the error rate, the latency percentiles
 * per pod and overall against smoke.thresholds, and parity with stable's answers (`stable`, one per case).
 * Results that make an aggregate check fail get the reason added, so the failing cases are named.
 */
export function judge(
  smoke: Pick<SmokeConfig, 'thresholds' | 'parity'>,
  canary: CaseResult[],
  stable: CaseResult[],
  transports: Record<string, PodSummary['transport']>,
  unreadyPods: Record<string, string> = {},
): Judgement {
  const failures: string[] = [];
  const t = smoke.thresholds;
  const podNames = [...new Set([...canary.map((r) => r.pod), ...Object.keys(unreadyPods)])];
  const summarize = (pod: string, results: CaseResult[]): PodSummary => {
    const failed = results.filter((r) => r.verdict === 'fail').length;
    return {
      pod,
      transport: transports[pod] ?? Object.values(transports)[0] ?? 'pods-proxy',
      requests: results.length,
      failed,
      errorRate: results.length ? failed / results.length : 0,
      latency: summarizeLatency(results.filter((r) => r.error === undefined).map((r) => r.latencyMs)),
    };
  };
  const pods = podNames.map((pod) =>
    summarize(
      pod,
      canary.filter((r) => r.pod === pod),
    ),
  );
  const overall = summarize('all canary pods', canary);
  for (const [pod, why] of Object.entries(unreadyPods)) failures.push(`pod ${pod} never became ready: ${why}`);
  if (canary.length === 0) failures.push('no smoke request was answered by a canary pod');
  if (overall.errorRate > t.errorRate) {
    failures.push(`error rate ${pct(overall.errorRate)} (${overall.failed} of ${overall.requests}) is over smoke.thresholds.errorRate ${pct(t.errorRate)}`);
  }

  const limits: ['p50Ms' | 'p95Ms' | 'p99Ms', number | undefined][] = [
    ['p50Ms', t.p50Ms],
    ['p95Ms', t.p95Ms],
    ['p99Ms', t.p99Ms],
  ];
  for (const [key, limit] of limits) {
    if (limit === undefined) continue;
    for (const s of [...pods, overall]) {
      if (s.latency.count > 0 && s.latency[key] > limit) {
        failures.push(`${key.slice(0, 3)} latency ${s.latency[key]} ms on ${s.pod} is over smoke.thresholds.${key} ${limit} ms`);
        for (const r of canary) {
          if ((s === overall || r.pod === s.pod) && r.error === undefined && r.latencyMs > limit)
            addWhy(r, `latency ${Math.round(r.latencyMs)} ms over smoke.thresholds.${key} ${limit} ms`);
        }
      }
    }
  }

  const parity = judgeParity(smoke.parity, canary, stable);
  if (!parity.passed && parity.failure) failures.push(parity.failure);

  const errorRate = overall.errorRate;
  const failingCases = [...new Set(canary.filter((r) => r.verdict === 'fail').map((r) => r.case))];
  const { failure: _unused, ...parityReport } = parity;
  return {
    verdict: failures.length === 0 ? 'pass' : 'fail',
    errorRate,
    p50Ms: overall.latency.p50Ms,
    p95Ms: overall.latency.p95Ms,
    p99Ms: overall.latency.p99Ms,
    pods,
    overall,
    parity: parityReport,
    failures,
    failingCases,
  };
}

function addWhy(r: CaseResult, why: string): void {
  if (!r.why.includes(why)) r.why.push(why);
  r.verdict = 'fail';
}

const pct = (x: number): string => `${(Math.round(x * 10000) / 100).toString()}%`;

function judgeParity(parity: SmokeConfig['parity'], canary: CaseResult[], stable: CaseResult[]): SmokeReport['parity'] & { failure?: string } {
  const stablePods = [...new Set(stable.map((r) => r.pod))];
  if (!parity.enabled) return { enabled: false, stablePods, passed: true, note: 'smoke.parity.enabled is false' };
  const reference = new Map<string, unknown[]>();
  for (const r of stable) if (r.outputs && r.status >= 200 && r.status < 300) reference.set(r.case, r.outputs);
  if (reference.size === 0) {
    const note = stable.length === 0 ? 'no Ready stable pod to compare with (a first release?)' : 'stable answered none of the cases';
    return { enabled: true, stablePods, passed: true, note };
  }
  const pairs = canary.filter((r) => r.outputs && reference.has(r.case));
  const kind = outputKind(pairs.flatMap((r) => [...(r.outputs ?? []), ...(reference.get(r.case) ?? [])]));
  let agreed = 0;
  let compared = 0;
  let maxRelativeError = 0;
  for (const r of pairs) {
    const ref = reference.get(r.case) ?? [];
    const c = compareWithStable(r.outputs ?? [], ref, kind);
    r.parity = { stable: ref, ...c };
    agreed += c.agreed;
    compared += c.compared;
    if (c.maxRelativeError !== undefined) maxRelativeError = Math.max(maxRelativeError, c.maxRelativeError);
  }
  if (compared === 0) return { enabled: true, stablePods, kind, passed: true, note: 'no canary answer could be compared' };
  const agreement = agreed / compared;
  if (kind === 'classification') {
    const passed = agreement >= parity.minAgreement;
    const result: SmokeReport['parity'] & { failure?: string } = { enabled: true, stablePods, kind, agreement, passed };
    if (!passed) {
      result.failure = `parity with stable: ${pct(agreement)} of ${compared} predictions agree, under smoke.parity.minAgreement ${pct(parity.minAgreement)}`;
      for (const r of pairs)
        if (r.parity && r.parity.agreed < r.parity.compared)
          addWhy(r, `disagrees with stable: canary ${brief(r.outputs, 60)}, stable ${brief(r.parity.stable, 60)}`);
    }
    return result;
  }
  const passed = maxRelativeError <= parity.relativeTolerance;
  const result: SmokeReport['parity'] & { failure?: string } = { enabled: true, stablePods, kind, agreement, maxRelativeError, passed };
  if (!passed) {
    result.failure = `parity with stable: relative error up to ${maxRelativeError.toPrecision(3)}, over smoke.parity.relativeTolerance ${parity.relativeTolerance}`;
    for (const r of pairs)
      if ((r.parity?.maxRelativeError ?? 0) > parity.relativeTolerance)
        addWhy(
          r,
          `differs from stable by ${(r.parity?.maxRelativeError ?? 0).toPrecision(3)} (relative): canary ${brief(r.outputs, 60)}, stable ${brief(r.parity?.stable, 60)}`,
        );
  }
  return result;
}
