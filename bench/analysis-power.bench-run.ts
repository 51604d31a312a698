import { expect, it } from 'vitest';
import { FAIL_ALPHA, PASS_ALPHA } from '../src/analysis/judge.js';
import { signedRankTest } from '../src/analysis/stats/index.js';
// @ts-expect-error -- a plain ESM module without types
import { mulberry32 } from '../test/helpers/mulberry32.mjs';

// How many paired requests the latency comparison needs before it can tell, against the fixed minimum
// (analysis.minSamples, default 50) the window waits for in any case. Simulated, seeded, so anyone gets
// the same figures: per pair, the stable latency is log-normal (median 20 ms, sigma 0.35) and the canary's
// is that times the regression times its own log-normal noise (sigma 0.2, the pairs' shared moment
// cancels the rest). The test is the one src/analysis/judge.ts runs: Wilcoxon signed-rank on
// ln(canary/stable) against ln(1 + margin), fail at p < FAIL_ALPHA, pass at p < PASS_ALPHA the other way.
//   npm run bench:analysis

const MARGIN = 0.1;
const RUNS = 400;
const SIZES = [5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100];

/** Mulberry32 (test/helpers): every run of the bench draws the same samples. */
const rng = mulberry32 as (seed: number) => () => number;

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** The share of runs of n pairs in which the test says fail (slower than the margin) and pass (not slower). */
function rates(regression: number, n: number, seed: number): { fail: number; pass: number } {
  const next = rng(seed);
  let fail = 0;
  let pass = 0;
  const bound = Math.log(1 + MARGIN);
  for (let run = 0; run < RUNS; run++) {
    const d: number[] = [];
    for (let i = 0; i < n; i++) {
      const stable = Math.log(20) + 0.35 * normal(next);
      const canary = stable + Math.log(regression) + 0.2 * normal(next);
      // Milliseconds as the clock reports them (0.1 ms), so ties happen as in real samples.
      d.push(Math.log(Math.round(Math.exp(canary) * 10) / 10) - Math.log(Math.round(Math.exp(stable) * 10) / 10));
    }
    if (signedRankTest(d, { margin: bound, alternative: 'greater' }).pValue < FAIL_ALPHA) fail++;
    else if (signedRankTest(d, { margin: bound, alternative: 'less' }).pValue < PASS_ALPHA) pass++;
  }
  return { fail: fail / RUNS, pass: pass / RUNS };
}

it('samples needed to a confident latency verdict, against the fixed minimum of 50 pairs', () => {
  const rows: string[] = [];
  const needed: Record<string, number | undefined> = {};
  for (const [label, regression, want] of [
    ['50% slower', 1.5, 'fail'],
    ['25% slower', 1.25, 'fail'],
    ['as fast', 1.0, 'pass'],
  ] as const) {
    const line = SIZES.map((n) => {
      const r = rates(regression, n, 7919 * n + Math.round(regression * 100));
      const hit = want === 'fail' ? r.fail : r.pass;
      if (hit >= 0.95 && needed[label] === undefined) needed[label] = n;
      return `n=${n}: ${(hit * 100).toFixed(0)}%`;
    });
    rows.push(`${label.padEnd(11)} (${want} in % of ${RUNS} runs) ${line.join('  ')}`);
  }
  // A false verdict: an as-fast canary failed, or a 50%-slower one passed.
  const falseFail = rates(1.0, 50, 1).fail;
  const falsePass = rates(1.5, 50, 2).pass;
  console.log(
    [
      '',
      'analysis power (bench/analysis-power.bench-run.ts):',
      ...rows,
      `pairs for a verdict in 95% of runs: ${Object.entries(needed)
        .map(([k, v]) => `${k} ${v ?? `> ${SIZES.at(-1)}`}`)
        .join(', ')}; the window waits for 50 pairs (analysis.minSamples) in any case`,
      `at 50 pairs: an as-fast canary failed in ${(falseFail * 100).toFixed(1)}% of runs, a 50%-slower one passed in ${(falsePass * 100).toFixed(1)}%`,
      '',
    ].join('\n'),
  );
  // A clear regression is caught well before the fixed minimum: the minimum, not the test, sets the window.
  expect(needed['50% slower']).toBeDefined();
  expect(needed['50% slower'] ?? Infinity).toBeLessThan(50);
  expect(falseFail).toBeLessThan(0.02);
  expect(falsePass).toBe(0);
});
