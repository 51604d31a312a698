import type { Evidence } from '../core/verdict.js';
import { compareWithStable, outputKind } from '../smoke/compare.js';
import { percentile } from '../smoke/stats.js';
import { classDistribution, clopperPearson, clopperPearsonUpper, hodgesLehmann, mcnemarExact, rankBiserial, signedRankTest } from './stats/index.js';
import { judgeLive, type LiveRules } from './prometheus/judge.js';
import type { AgreementResult, AnalysisVerdict, ErrorResult, IntervalFigures, LatencyResult, Measurements, Pair } from './types.js';

/** The thresholds the judgement uses (analysis.* and smoke.parity.relativeTolerance). */
export interface AnalysisRules {
  minSamples: number;
  margin: number;
  maxErrorRate: number;
  minAgreement: number;
  relativeTolerance: number;
  /** False when analysis.load.rps is 0: with live figures, the paired checks are not run at all. */
  pairedLoad?: boolean;
  /** With analysis.prometheus: the live traffic is judged too. */
  live?: LiveRules;
}

/** Fail when slower than the margin at this level; pass (non-inferior) at PASS_ALPHA. */
export const FAIL_ALPHA = 0.01;
export const PASS_ALPHA = 0.05;

/**
 * The analysis verdict, a pure function of the measurements: a canary pod signal fails at once; a stable
 * pod signal makes the comparison untrustworthy (inconclusive); otherwise each comparison (latency,
 * errors, agreement) passes, fails or cannot tell, and the canary passes only when all pass with at least
 * minSamples counted pairs. A fixed-sample design: the tests are run once on what the window gathered.
 */
export function judgeAnalysis(m: Measurements, rules: AnalysisRules): AnalysisVerdict {
  const counted = m.pairs.filter((p) => !p.warmup);
  const errors = judgeErrors(counted, rules);
  const both = counted.filter((p) => p.canary.ok && p.stable.ok);
  const latency = both.length >= 2 ? judgeLatency(both, rules.margin) : undefined;
  const agreement = judgeAgreement(both, rules);
  const classes = agreement?.kind === 'classification' ? classShare(both) : undefined;
  const live = rules.live && m.live ? judgeLive(m.live, rules.live) : undefined;
  const base = {
    counted: counted.length,
    minSamples: rules.minSamples,
    errors,
    ...(latency ? { latency } : {}),
    ...(agreement ? { agreement } : {}),
    ...(classes ? { classes } : {}),
    ...(live ? { live } : {}),
  };
  // Without a paired load, live traffic alone is compared (a window of live figures only).
  const usePairs = rules.pairedLoad !== false || !rules.live;

  const canarySignal = m.signals.find((s) => s.track === 'canary');
  if (canarySignal) {
    return {
      ...base,
      outcome: 'fail',
      signal: canarySignal,
      reasons: [`${canarySignal.reason} on canary pod ${canarySignal.pod}: ${canarySignal.detail}`],
      line: `pod watch: ${canarySignal.reason} on ${canarySignal.pod} ${(canarySignal.at / 1000).toFixed(1)}s into the window`,
    };
  }
  const stableSignal = m.signals.find((s) => s.track === 'stable');
  const reasons: string[] = [];
  const parts: [string, Evidence][] = [['errors', errors.outcome]];
  if (latency) parts.push(['latency', latency.outcome]);
  if (agreement) parts.push(['agreement', agreement.outcome]);
  if (latency?.outcome === 'fail') reasons.push(`the canary is slower than stable by more than the ${pct(rules.margin)} margin: ${latencyLine(latency)}`);
  if (errors.outcome === 'fail') reasons.push(`the canary errs too often: ${errorLine(errors, rules)}`);
  if (agreement?.outcome === 'fail')
    reasons.push(`predictions disagree with stable: ${pct(agreement.rate)} of ${agreement.compared} agree, under ${pct(rules.minAgreement)}`);
  if (live?.outcome === 'fail') reasons.push(...live.reasons);
  if (reasons.length > 0) return { ...base, outcome: 'fail', reasons, line: reasons[0] as string };
  if (stableSignal) {
    const why = `${stableSignal.reason} on stable pod ${stableSignal.pod}: the comparison cannot be trusted`;
    return { ...base, outcome: 'inconclusive', signal: stableSignal, reasons: [why], line: why };
  }
  if (rules.live && !live) {
    const why = 'Prometheus gave no live figures (the window must be at least 15s for increase() to have two scrapes): cannot tell';
    return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
  }
  if (!usePairs) {
    const verdict = live as NonNullable<typeof live>;
    return { ...base, outcome: verdict.outcome, reasons: verdict.reasons, line: verdict.line };
  }
  if (counted.length < rules.minSamples) {
    const why = `${counted.length} paired request(s) counted, under analysis.minSamples ${rules.minSamples}: never a pass on so few`;
    return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
  }
  if (errors.n > 0 && errors.stable === errors.n) {
    const why = `stable failed every paired request too (${errors.stable}/${errors.n}): the load cannot compare anything; check smoke.protocol, the model name in the URLs and the cases`;
    return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
  }
  const unsure = parts.filter(([, o]) => o === 'inconclusive').map(([n]) => n);
  if (!latency) unsure.push('latency (fewer than 2 pairs answered on both sides)');
  if (unsure.length > 0) {
    const why = `cannot tell: ${unsure.join(', ')}${latency ? `; ${latencyLine(latency)}` : ''}; ${errorLine(errors, rules)}`;
    return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
  }
  if (live && live.outcome !== 'pass') return { ...base, outcome: live.outcome, reasons: live.reasons, line: live.line };
  return {
    ...base,
    outcome: 'pass',
    reasons: [],
    line: `passed: ${latency ? latencyLine(latency) : ''}; ${errorLine(errors, rules)}${live ? `; ${live.line}` : ''}`,
  };
}

function judgeLatency(both: Pair[], margin: number): LatencyResult {
  // Latencies are positive; a 0 ms reading (a clock's resolution) is lifted to 1 µs so its log exists.
  const d = both.map((p) => Math.log(Math.max(p.canary.latencyMs, 0.001)) - Math.log(Math.max(p.stable.latencyMs, 0.001)));
  const bound = Math.log(1 + margin);
  const slower = signedRankTest(d, { margin: bound, alternative: 'greater' });
  const notSlower = signedRankTest(d, { margin: bound, alternative: 'less' });
  const hl = hodgesLehmann(d, 0.95);
  const outcome: Evidence = slower.pValue < FAIL_ALPHA ? 'fail' : notSlower.pValue < PASS_ALPHA ? 'pass' : 'inconclusive';
  return {
    n: d.length,
    ratio: Math.exp(hl.estimate),
    lower: Math.exp(hl.lower),
    upper: Math.exp(hl.upper),
    pSlower: slower.pValue,
    pNotSlower: notSlower.pValue,
    method: slower.method,
    effect: rankBiserial(d, bound),
    outcome,
  };
}

function judgeErrors(counted: Pair[], rules: AnalysisRules): ErrorResult {
  const n = counted.length;
  const canary = counted.filter((p) => !p.canary.ok).length;
  const stable = counted.filter((p) => !p.stable.ok).length;
  const onlyCanary = counted.filter((p) => !p.canary.ok && p.stable.ok).length;
  const onlyStable = counted.filter((p) => p.canary.ok && !p.stable.ok).length;
  const mcnemar = mcnemarExact(onlyCanary, onlyStable, 'greater');
  const upper = n > 0 ? clopperPearsonUpper(canary, n, 0.95) : 1;
  const lower = n > 0 ? clopperPearson(canary, n, 0.9).lower : 0;
  // Over the limit, but stable errs as often on the same requests: the load itself is broken (wrong
  // model name, cases that no server accepts), which says nothing against the canary.
  const worseThanStable = onlyCanary > onlyStable;
  const outcome: Evidence =
    mcnemar.pValue < FAIL_ALPHA || (lower > rules.maxErrorRate && worseThanStable) ? 'fail' : upper <= rules.maxErrorRate ? 'pass' : 'inconclusive';
  return { n, canary, stable, onlyCanary, onlyStable, mcnemarP: mcnemar.pValue, lower, upper, outcome };
}

function judgeAgreement(both: Pair[], rules: AnalysisRules): AgreementResult | undefined {
  const withOutputs = both.filter((p) => p.canary.outputs && p.stable.outputs);
  if (withOutputs.length === 0) return undefined;
  const kind = outputKind(withOutputs.flatMap((p) => p.stable.outputs ?? []));
  let agreed = 0;
  let compared = 0;
  for (const p of withOutputs) {
    const c = compareWithStable(p.canary.outputs ?? [], p.stable.outputs ?? [], kind);
    if (kind === 'regression') {
      compared++;
      if ((c.maxRelativeError ?? 0) <= rules.relativeTolerance) agreed++;
    } else {
      compared += c.compared;
      agreed += c.agreed;
    }
  }
  const rate = compared > 0 ? agreed / compared : 1;
  return { kind, compared, agreed, rate, outcome: rate >= rules.minAgreement ? 'pass' : 'fail' };
}

function classShare(both: Pair[]): AnalysisVerdict['classes'] {
  const labels = (side: 'canary' | 'stable'): string[] => both.flatMap((p) => (p[side].outputs ?? []).map((o) => String(o)));
  const d = classDistribution(labels('canary'), labels('stable'));
  return { classes: d.classes, canary: d.canary, stable: d.stable, pValue: d.pValue };
}

/** Median latency and error counts per interval, for the chart. */
export function perInterval(pairs: Pair[], intervalMs: number, elapsedMs: number): IntervalFigures[] {
  const rows: IntervalFigures[] = [];
  for (let end = intervalMs; end < elapsedMs + intervalMs; end += intervalMs) {
    const inside = pairs.filter((p) => !p.warmup && p.at < end && p.at >= end - intervalMs);
    const median = (side: 'canary' | 'stable'): number | undefined => {
      const values = inside.filter((p) => p[side].ok).map((p) => p[side].latencyMs);
      return values.length > 0 ? percentile(values, 50) : undefined;
    };
    rows.push({
      endsAt: Math.min(end, elapsedMs),
      canaryP50: median('canary'),
      stableP50: median('stable'),
      canaryErrors: inside.filter((p) => !p.canary.ok).length,
      stableErrors: inside.filter((p) => !p.stable.ok).length,
      pairs: inside.length,
    });
  }
  return rows;
}

export function latencyLine(l: LatencyResult): string {
  return `Wilcoxon signed-rank (${l.method}) on ln(canary/stable) latency, n=${l.n}: ratio ${l.ratio.toFixed(3)} (95% CI ${l.lower.toFixed(3)}–${l.upper.toFixed(3)}), p(slower than margin)=${fmtP(l.pSlower)}, p(not slower)=${fmtP(l.pNotSlower)}, effect r=${l.effect.toFixed(2)}`;
}

export function errorLine(e: ErrorResult, rules: Pick<AnalysisRules, 'maxErrorRate'>): string {
  return `errors canary ${e.canary}/${e.n}, stable ${e.stable}/${e.n}: Clopper-Pearson 95% upper bound ${pct(e.upper)} (limit ${pct(rules.maxErrorRate)}), McNemar exact p=${fmtP(e.mcnemarP)} (${e.onlyCanary} vs ${e.onlyStable} discordant)`;
}

export const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
export const fmtP = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
