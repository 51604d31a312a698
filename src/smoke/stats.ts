import type { LatencySummary } from './types.js';

/** The q-th percentile (0 < q <= 1) by nearest rank: the smallest value with at least q of the values at or below it. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function summarizeLatency(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    p50Ms: round(percentile(values, 0.5)),
    p95Ms: round(percentile(values, 0.95)),
    p99Ms: round(percentile(values, 0.99)),
    maxMs: round(values.length ? Math.max(...values) : 0),
  };
}
