import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialTest from '@stdlib/stats-binomial-test';
import { assertConfidence, assertCount } from './checks.js';
import type { Alternative } from './signed-rank.js';

export interface Interval {
  lower: number;
  upper: number;
}

export interface McNemarResult {
  pValue: number;
  /** b + c, the pairs on which canary and stable disagree. */
  discordant: number;
}

/** Exact (Clopper-Pearson) two-sided interval for k successes out of n; n = 0 gives [0, 1]. */
export function clopperPearson(k: number, n: number, confidence: number): Interval {
  assertTrials(k, n);
  assertConfidence(confidence);
  const alpha = 1 - confidence;
  return {
    lower: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    upper: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
  };
}

/** One-sided Clopper-Pearson upper bound: beta.ppf(confidence, k + 1, n - k), 1 when k = n. */
export function clopperPearsonUpper(k: number, n: number, confidence: number): number {
  assertTrials(k, n);
  assertConfidence(confidence);
  return k === n ? 1 : betaQuantile(confidence, k + 1, n - k);
}

/**
 * Exact McNemar test: b pairs where only the canary failed, c where only the stable one did;
 * the binomial test of b out of b + c at p = 0.5. 'greater' means the canary fails more often.
 * pValue 1 when there is no discordant pair.
 */
export function mcnemarExact(b: number, c: number, alternative: Alternative): McNemarResult {
  assertCount('b', b);
  assertCount('c', c);
  const discordant = b + c;
  if (discordant === 0) return { pValue: 1, discordant };
  const { pValue } = binomialTest(b, discordant, { p: 0.5, alternative });
  return { pValue: Math.min(1, pValue), discordant };
}

function assertTrials(k: number, n: number): void {
  assertCount('k', k);
  assertCount('n', n);
  if (k > n) throw new RangeError(`k (${k}) must not exceed n (${n})`);
}
