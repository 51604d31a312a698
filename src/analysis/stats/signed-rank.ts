import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf';
import signrankQuantile from '@stdlib/stats-base-dists-signrank-quantile';
import wilcoxon from '@stdlib/stats-wilcoxon';
import { assertConfidence } from './checks.js';

export type Alternative = 'less' | 'greater' | 'two-sided';

export interface SignedRankOptions {
  /** The location tested against: the test is on d - margin. */
  margin: number;
  /** 'less': d - margin is located below 0; 'greater': above 0. */
  alternative: Alternative;
}

export interface SignedRankResult {
  /** Differences left once those equal to the margin are dropped. */
  n: number;
  zeros: number;
  /** R+, the rank sum of the positive d - margin, whatever the alternative. */
  statistic: number;
  pValue: number;
  method: 'exact' | 'normal';
}

export interface HodgesLehmann {
  estimate: number;
  lower: number;
  upper: number;
}

// Up to this many differences the exact signed-rank distribution is used (as in @stdlib/stats-wilcoxon).
const EXACT_MAX_N = 50;

/**
 * Wilcoxon signed-rank test of d against the location `margin`: zeros of d - margin are
 * dropped ('wilcox'), no continuity correction. Exact for n <= 50 without zeros or ties,
 * normal approximation (tie-corrected variance) otherwise. With fewer than 2 nonzero
 * differences the exact null distribution is used directly: n = 0 gives pValue 1.
 */
export function signedRankTest(d: readonly number[], opts: SignedRankOptions): SignedRankResult {
  // Shift here and call stdlib with mu 0: its mu path drops the zeros of d, not of d - mu.
  const shifted = d.map((x) => x - opts.margin);
  const nonzero = shifted.filter((x) => x !== 0);
  const n = nonzero.length;
  const zeros = shifted.length - n;
  if (n < 2) {
    const statistic = rankSums(nonzero).plus;
    return { n, zeros, statistic, pValue: exactPValue(statistic, n, opts.alternative), method: 'exact' };
  }
  const result = wilcoxon(shifted, { alternative: opts.alternative, zeroMethod: 'wilcox', correction: false });
  return {
    n,
    zeros,
    statistic: result.statistic,
    // stdlib doubles a tail that holds the centre of the exact distribution: above 1 there.
    pValue: Math.min(1, result.pValue),
    method: usesNormal(nonzero, zeros) ? 'normal' : 'exact',
  };
}

/** The rule by which @stdlib/stats-wilcoxon leaves the exact distribution. */
function usesNormal(nonzero: readonly number[], zeros: number): boolean {
  const distinct = new Set(nonzero.map(Math.abs)).size;
  return nonzero.length > EXACT_MAX_N || zeros > 0 || distinct < nonzero.length;
}

function exactPValue(statistic: number, n: number, alternative: Alternative): number {
  const atMost = n === 0 ? 1 : signrankCdf(statistic, n);
  const atLeast = n === 0 ? 1 : 1 - signrankCdf(statistic - 1, n);
  if (alternative === 'less') return atMost;
  if (alternative === 'greater') return atLeast;
  return Math.min(1, 2 * Math.min(atMost, atLeast));
}

/** Average ranks (1-based) of values, ties sharing the mean of their ranks. */
function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => at(values, a) - at(values, b));
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && at(values, at(order, end)) === at(values, at(order, start))) end += 1;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i += 1) ranks[at(order, i)] = rank;
    start = end;
  }
  return ranks;
}

function rankSums(nonzero: readonly number[]): { plus: number; minus: number } {
  const ranks = averageRanks(nonzero.map(Math.abs));
  let plus = 0;
  let minus = 0;
  nonzero.forEach((x, i) => {
    if (x > 0) plus += at(ranks, i);
    else minus += at(ranks, i);
  });
  return { plus, minus };
}

/**
 * Matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-) of d - margin, zeros
 * dropped; 0 when no nonzero difference is left.
 */
export function rankBiserial(d: readonly number[], margin: number): number {
  const nonzero = d.map((x) => x - margin).filter((x) => x !== 0);
  if (nonzero.length === 0) return 0;
  const { plus, minus } = rankSums(nonzero);
  return (plus - minus) / (plus + minus);
}

/**
 * Hodges-Lehmann estimate (median of the Walsh averages (d_i + d_j) / 2, i <= j, of all of
 * d, zeros included) and its distribution-free confidence interval.
 *
 * With the M = n(n+1)/2 Walsh averages sorted W(1) <= ... <= W(M) and alpha = 1 - confidence,
 * the interval is [W(k), W(M+1-k)] where k is the signed-rank alpha/2 quantile, the smallest
 * k with P(T <= k) >= alpha/2 (R's wilcox.test convention), so that the coverage is
 * 1 - 2 P(T <= k - 1) >= confidence. For n <= 50, k is exact; beyond, k = ceil(M/2 - 1/2 - z s),
 * z the normal 1 - alpha/2 quantile and s^2 = n(n+1)(2n+1)/24 (no tie correction).
 * k is kept in [1, ceil(M/2)]: for tiny n (n <= 5 at 95%) the interval is [W(1), W(M)] and
 * does not reach the confidence asked.
 */
export function hodgesLehmann(d: readonly number[], confidence: number): HodgesLehmann {
  if (d.length === 0) throw new RangeError('hodgesLehmann needs at least one difference');
  assertConfidence(confidence);
  const walsh = walshAverages(d);
  const m = walsh.length;
  const k = Math.min(Math.max(criticalRank(d.length, 1 - confidence), 1), Math.ceil(m / 2));
  return { estimate: sortedMedian(walsh), lower: at(walsh, k - 1), upper: at(walsh, m - k) };
}

function criticalRank(n: number, alpha: number): number {
  if (n <= EXACT_MAX_N) return signrankQuantile(alpha / 2, n);
  const m = (n * (n + 1)) / 2;
  const s = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return Math.ceil(m / 2 - 0.5 - normalQuantile(1 - alpha / 2, 0, 1) * s);
}

/** The sorted Walsh averages (d_i + d_j) / 2, i <= j. */
function walshAverages(d: readonly number[]): Float64Array {
  const n = d.length;
  const out = new Float64Array((n * (n + 1)) / 2);
  let next = 0;
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) out[next++] = (at(d, i) + at(d, j)) / 2;
  }
  return out.sort();
}

function sortedMedian(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? at(sorted, mid) : (at(sorted, mid - 1) + at(sorted, mid)) / 2;
}

function at(values: ArrayLike<number>, i: number): number {
  const value = values[i];
  if (value === undefined) throw new RangeError(`index ${i} out of range`);
  return value;
}
