import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import { assertConfidence, assertCount } from './checks.js';

/** One bucket of a cumulative histogram (Prometheus' le buckets): observations at or below `le`. */
export interface Bucket {
  le: number;
  cumulative: number;
}

/**
 * Distribution-free one-sided bounds on the q-quantile as order statistics: the `lower`-th smallest of n
 * observations is at or below the quantile with probability at least `confidence`, the `upper`-th at or
 * above it. From B ~ Binomial(n, q): lower = binom.ppf(1 - confidence), upper = binom.ppf(confidence) + 1.
 * A rank under 1 means no observation bounds it (the bound is the smallest possible value, 0); a rank
 * over n, that the sample is too small to bound it from above.
 */
export function quantileRanks(n: number, q: number, confidence: number): { lower: number; upper: number } {
  assertCount('n', n);
  assertConfidence(confidence);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  if (n === 0) return { lower: 0, upper: 1 };
  // + 0 turns stdlib's -0 for rank 0 into 0.
  return { lower: binomialQuantile(1 - confidence, n, q) + 0, upper: binomialQuantile(confidence, n, q) + 1 };
}

/**
 * The value at a rank (1 = the smallest) of the observations in a cumulative histogram, interpolated
 * linearly inside its bucket the way Prometheus' histogram_quantile does (the first bucket starts at 0).
 * Infinity when the rank falls in the +Inf bucket or past the last observation: the histogram cannot say.
 * NaN for an empty histogram.
 */
export function valueAtRank(buckets: readonly Bucket[], rank: number): number {
  const total = buckets.at(-1)?.cumulative ?? 0;
  if (total === 0) return Number.NaN;
  if (rank <= 0) return 0;
  if (rank > total) return Number.POSITIVE_INFINITY;
  let below = 0;
  let start = 0;
  for (const b of buckets) {
    if (b.cumulative >= rank) {
      if (!Number.isFinite(b.le)) return Number.POSITIVE_INFINITY;
      const inside = b.cumulative - below;
      return start + (b.le - start) * ((rank - below) / inside);
    }
    below = b.cumulative;
    start = b.le;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Prometheus' histogram_quantile(q) of a cumulative histogram: the rank q·count, interpolated; a rank in
 * the +Inf bucket gives the highest finite bound (as Prometheus answers). NaN for an empty histogram.
 */
export function histogramQuantile(buckets: readonly Bucket[], q: number): number {
  const total = buckets.at(-1)?.cumulative ?? 0;
  if (total === 0) return Number.NaN;
  const v = valueAtRank(buckets, q * total);
  if (Number.isFinite(v)) return v;
  const finite = buckets.filter((b) => Number.isFinite(b.le));
  return finite.at(-1)?.le ?? Number.NaN;
}

/** Buckets made cumulative-monotonic and sorted (a scrape between two buckets' reads can break it, as Prometheus also fixes). */
export function monotonic(buckets: readonly Bucket[]): Bucket[] {
  let max = 0;
  return [...buckets]
    .sort((a, b) => a.le - b.le)
    .map((b) => {
      max = Math.max(max, b.cumulative);
      return { le: b.le, cumulative: max };
    });
}
