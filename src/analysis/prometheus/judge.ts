import type { Evidence } from '../../core/verdict.js';
import {
  fisherExactGreater,
  clopperPearson,
  clopperPearsonUpper,
  classDistributionOfCounts,
  histogramQuantile,
  quantileRanks,
  valueAtRank,
} from '../stats/index.js';
import type { ClassShare } from '../types.js';
import type { LiveFigures, QueryFigure, TrackFigures } from './figures.js';

/** The thresholds the live judgement uses: analysis.errors.maxRate, analysis.latency.margin, analysis.minSamples, analysis.prometheus.quantile. */
export interface LiveRules {
  maxErrorRate: number;
  margin: number;
  minSamples: number;
  quantile: number;
}

const FAIL_ALPHA = 0.01;
/** Confidence of each one-sided bound (the error rate's and the latency quantile's). */
const CONFIDENCE = 0.95;

export interface LiveErrors {
  canary: number;
  canaryRequests: number;
  stable: number;
  stableRequests: number;
  /** One-sided 95 % Clopper-Pearson bounds on the canary's 5xx ratio. */
  lower: number;
  upper: number;
  /** One-sided Fisher exact test that the canary errs more often than stable. */
  fisherP: number;
  outcome: Evidence;
}

export interface LiveLatency {
  quantile: number;
  /** Seconds; the canary's with its one-sided 95 % order-statistic bounds (Infinity: unbounded). */
  canary: number;
  canaryLower: number;
  canaryUpper: number;
  stable: number;
  /** stable × (1 + margin): the most the canary's quantile may be. */
  limit: number;
  outcome: Evidence;
  why?: string;
}

export interface LiveQuery extends QueryFigure {
  outcome: Evidence;
}

export interface LiveVerdict {
  outcome: Evidence;
  line: string;
  reasons: string[];
  windowSeconds: number;
  errors: LiveErrors;
  latency: LiveLatency;
  classes?: ClassShare;
  queries: LiveQuery[];
}

/**
 * The live verdict, a pure function of what Prometheus counted over the window: the canary's 5xx ratio
 * against the limit and against stable, its latency quantile against stable's, and each user query against
 * its threshold. A fail anywhere fails; anything that cannot tell (too few requests, a query with no data)
 * is inconclusive; it passes only when every part passes.
 */
export function judgeLive(f: LiveFigures, rules: LiveRules): LiveVerdict {
  const errors = judgeErrors(f.canary, f.stable, rules);
  const latency = judgeLatency(f.canary, f.stable, rules);
  const queries = f.queries.map(judgeQuery);
  const share = classDistributionOfCounts(f.canary.classes, f.stable.classes);
  const classes: ClassShare | undefined =
    share.classes.length > 0 ? { classes: share.classes, canary: share.canary, stable: share.stable, pValue: share.pValue } : undefined;
  const base = { windowSeconds: f.windowSeconds, errors, latency, queries, ...(classes ? { classes } : {}) };
  const reasons: string[] = [];
  if (errors.outcome === 'fail') reasons.push(`live traffic: the canary answers 5xx too often: ${liveErrorLine(errors, rules)}`);
  if (latency.outcome === 'fail')
    reasons.push(`live traffic: the canary is slower than stable by more than the ${pctOf(rules.margin)} margin: ${liveLatencyLine(latency)}`);
  for (const q of queries.filter((x) => x.outcome === 'fail')) reasons.push(`query ${q.name}: ${queryLine(q)}`);
  if (reasons.length > 0) return { ...base, outcome: 'fail', reasons, line: reasons[0] as string };
  const unsure: string[] = [];
  if (f.canary.requests < rules.minSamples)
    unsure.push(`the canary served ${f.canary.requests} live request(s) in ${f.windowSeconds}s, under analysis.minSamples ${rules.minSamples}`);
  else if (errors.outcome === 'inconclusive') unsure.push(`errors: ${liveErrorLine(errors, rules)}`);
  if (latency.outcome === 'inconclusive' && f.canary.requests >= rules.minSamples) unsure.push(`latency: ${latency.why ?? liveLatencyLine(latency)}`);
  for (const q of queries.filter((x) => x.outcome === 'inconclusive')) unsure.push(`query ${q.name}: ${q.noData ?? 'no data'}`);
  if (unsure.length > 0) {
    const why = `live traffic cannot tell: ${unsure.join('; ')}`;
    return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
  }
  return { ...base, outcome: 'pass', reasons: [], line: `live traffic passed: ${liveErrorLine(errors, rules)}; ${liveLatencyLine(latency)}` };
}

function judgeErrors(c: TrackFigures, s: TrackFigures, rules: LiveRules): LiveErrors {
  const fisherP = fisherExactGreater(c.errors, c.requests, s.errors, s.requests);
  const lower = c.requests > 0 ? clopperPearson(c.errors, c.requests, 2 * CONFIDENCE - 1).lower : 0;
  const upper = c.requests > 0 ? clopperPearsonUpper(c.errors, c.requests, CONFIDENCE) : 1;
  const worse = c.requests > 0 && (s.requests === 0 || c.errors / c.requests > s.errors / s.requests);
  const enough = c.requests >= rules.minSamples;
  const outcome: Evidence =
    (fisherP < FAIL_ALPHA && s.requests > 0) || (lower > rules.maxErrorRate && worse)
      ? 'fail'
      : enough && upper <= rules.maxErrorRate
        ? 'pass'
        : 'inconclusive';
  return { canary: c.errors, canaryRequests: c.requests, stable: s.errors, stableRequests: s.requests, lower, upper, fisherP, outcome };
}

function judgeLatency(c: TrackFigures, s: TrackFigures, rules: LiveRules): LiveLatency {
  const n = c.buckets.at(-1)?.cumulative ?? 0;
  const m = s.buckets.at(-1)?.cumulative ?? 0;
  const q = rules.quantile;
  const stable = histogramQuantile(s.buckets, q);
  const limit = stable * (1 + rules.margin);
  const canary = histogramQuantile(c.buckets, q);
  const ranks = quantileRanks(n, q, CONFIDENCE);
  const canaryLower = n > 0 ? valueAtRank(c.buckets, ranks.lower) : Number.NaN;
  const canaryUpper = n > 0 ? valueAtRank(c.buckets, ranks.upper) : Number.NaN;
  const base = { quantile: q, canary, canaryLower, canaryUpper, stable, limit };
  if (n < rules.minSamples || m < rules.minSamples)
    return { ...base, outcome: 'inconclusive', why: `${n} canary and ${m} stable request(s) in the histogram, under analysis.minSamples ${rules.minSamples}` };
  if (!Number.isFinite(valueAtRank(s.buckets, q * m)))
    return { ...base, outcome: 'inconclusive', why: `stable's p${q * 100} is above the histogram's last bucket: it cannot be measured` };
  if (canaryLower > limit) return { ...base, outcome: 'fail' };
  if (canaryUpper <= limit) return { ...base, outcome: 'pass' };
  return { ...base, outcome: 'inconclusive' };
}

function judgeQuery(q: QueryFigure): LiveQuery {
  if (q.noData !== undefined || q.canary === undefined) return { ...q, outcome: 'inconclusive' };
  const over = q.max !== undefined && q.canary > q.max;
  const under = q.min !== undefined && q.canary < q.min;
  return { ...q, outcome: over || under ? 'fail' : 'pass' };
}

const pctOf = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
const ms = (seconds: number): string => (Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(1)} ms` : seconds > 0 ? 'unbounded' : '-');
const fmt = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const ratio = (k: number, n: number): string => (n > 0 ? pctOf(k / n) : '-');

export function liveErrorLine(e: LiveErrors, rules: Pick<LiveRules, 'maxErrorRate'>): string {
  return `5xx canary ${e.canary}/${e.canaryRequests} (${ratio(e.canary, e.canaryRequests)}), stable ${e.stable}/${e.stableRequests} (${ratio(e.stable, e.stableRequests)}): Clopper-Pearson 95% bounds ${pctOf(e.lower)}–${pctOf(e.upper)} (limit ${pctOf(rules.maxErrorRate)}), Fisher exact p=${fmt(e.fisherP)}`;
}

export function liveLatencyLine(l: LiveLatency): string {
  const p = `p${+(l.quantile * 100).toFixed(2)}`;
  return `${p} canary ${ms(l.canary)} (95% bounds ${ms(l.canaryLower)}–${ms(l.canaryUpper)}) vs stable ${ms(l.stable)} (limit ${ms(l.limit)}, from the histogram's buckets)`;
}

export function queryLine(q: LiveQuery): string {
  if (q.noData !== undefined || q.canary === undefined) return `no data (${q.noData ?? 'no value'}): cannot tell`;
  const bound = [q.max !== undefined ? `max ${q.max}` : '', q.min !== undefined ? `min ${q.min}` : ''].filter(Boolean).join(', ');
  return `canary ${q.canary}${q.stable !== undefined ? `, stable ${q.stable}` : ''} (${bound})`;
}
