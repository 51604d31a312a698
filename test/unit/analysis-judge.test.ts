import { describe, expect, it } from 'vitest';
import { judgeAnalysis, perInterval, type AnalysisRules } from '../../src/analysis/judge.js';
import { analysisOutputs } from '../../src/analysis/outputs.js';
import type { Measurements, Pair, Shot } from '../../src/analysis/types.js';
import { judgeRelease } from '../../src/decide/verdict.js';
// @ts-expect-error -- a plain ESM module without types
import { mulberry32 } from '../helpers/mulberry32.mjs';

// The analysis verdict on recorded-shape samples: pairs made with a seeded generator (the latency of a
// request through the pods proxy is log-normal-ish around a few ms), so each outcome is the statistics'
// and not the test's choice.

const RULES: AnalysisRules = { minSamples: 50, margin: 0.1, maxErrorRate: 0.05, minAgreement: 0.99, relativeTolerance: 0.01 };

/** A seeded generator (mulberry32) and a standard normal from it (Box-Muller). */
const rng = mulberry32 as (seed: number) => () => number;
const normal = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

interface Shape {
  n: number;
  seed?: number;
  /** canary latency = stable latency × slowdown × noise */
  slowdown?: number;
  canaryErrorEvery?: number;
  canaryClass?: (i: number) => string;
  warmup?: number;
}

function pairs(shape: Shape): Pair[] {
  const r = rng(shape.seed ?? 1);
  return Array.from({ length: shape.n }, (_, i) => {
    const moment = Math.exp(1.4 + 0.3 * normal(r)); // what the node was doing: shared by both sides
    const stableMs = moment * Math.exp(0.15 * normal(r));
    const canaryMs = moment * (shape.slowdown ?? 1) * Math.exp(0.15 * normal(r));
    const failed = shape.canaryErrorEvery !== undefined && i % shape.canaryErrorEvery === 0;
    const shot = (pod: string, ms: number, ok: boolean, cls: string): Shot =>
      ok ? { pod, status: 200, latencyMs: ms, ok, outputs: [cls] } : { pod, status: 500, latencyMs: ms, ok, error: 'answered 500' };
    return {
      at: i * 100,
      case: `case-${i % 7}`,
      canaryFirst: r() < 0.5,
      warmup: i < (shape.warmup ?? 0),
      canary: shot('canary-0', canaryMs, !failed, shape.canaryClass?.(i) ?? 'setosa'),
      stable: shot('stable-0', stableMs, true, 'setosa'),
    };
  });
}

const measured = (p: Pair[], extra: Partial<Measurements> = {}): Measurements => ({ pairs: p, signals: [], elapsedMs: 60_000, skipped: 0, ...extra });

describe('judgeAnalysis', () => {
  it('passes a canary like stable on enough pairs, naming the test, ratio, interval, p-value, effect and n', () => {
    const v = judgeAnalysis(measured(pairs({ n: 300 })), RULES);
    expect(v.outcome).toBe('pass');
    expect(v.latency?.outcome).toBe('pass');
    expect(v.latency?.ratio).toBeGreaterThan(0.95);
    expect(v.latency?.ratio).toBeLessThan(1.05);
    expect(v.latency?.lower).toBeLessThan(v.latency?.ratio ?? 0);
    expect(v.latency?.upper).toBeGreaterThan(v.latency?.ratio ?? 0);
    expect(v.errors.upper).toBeLessThan(0.05);
    expect(v.line).toMatch(/^passed: Wilcoxon signed-rank \(normal\) on ln\(canary\/stable\) latency, n=300: ratio 0\.9\d\d|1\.0\d\d/);
    expect(v.line).toMatch(/effect r=-?\d\.\d\d/);
  });

  it('fails a canary 50 % slower, with the ratio near 1.5', () => {
    const v = judgeAnalysis(measured(pairs({ n: 120, slowdown: 1.5 })), RULES);
    expect(v.outcome).toBe('fail');
    expect(v.latency?.outcome).toBe('fail');
    expect(v.latency?.pSlower).toBeLessThan(0.01);
    expect(v.latency?.ratio).toBeGreaterThan(1.4);
    expect(v.latency?.ratio).toBeLessThan(1.6);
    expect(v.reasons[0]).toMatch(/slower than stable by more than the 10\.0% margin/);
  });

  it('cannot tell a canary 10 % slower, right on the margin', () => {
    const v = judgeAnalysis(measured(pairs({ n: 300, slowdown: 1.1, seed: 7 })), RULES);
    expect(v.latency?.outcome).toBe('inconclusive');
    expect(v.outcome).toBe('inconclusive');
  });

  it('never passes below minSamples, but fails a clear regression on few pairs', () => {
    const few = judgeAnalysis(measured(pairs({ n: 30 })), RULES);
    expect(few.outcome).toBe('inconclusive');
    expect(few.line).toContain('30 paired request(s) counted, under analysis.minSamples 50');
    const erring = judgeAnalysis(measured(pairs({ n: 30, canaryErrorEvery: 2 })), RULES);
    expect(erring.outcome).toBe('fail');
    expect(erring.errors.mcnemarP).toBeLessThan(0.01);
  });

  it('fails on errors by McNemar on discordant pairs, and holds when the bound cannot clear the limit', () => {
    const v = judgeAnalysis(measured(pairs({ n: 200, canaryErrorEvery: 10 })), RULES);
    expect(v.errors.canary).toBe(20);
    expect(v.errors.onlyCanary).toBe(20);
    expect(v.outcome).toBe('fail');
    // 0 errors in 50 still allows about 6 % (Clopper-Pearson): over a 5 % limit, so not a pass.
    const short = judgeAnalysis(measured(pairs({ n: 50 })), RULES);
    expect(short.errors.upper).toBeGreaterThan(0.05);
    expect(short.errors.outcome).toBe('inconclusive');
  });

  it('fails on disagreeing predictions and shows the class shares', () => {
    const v = judgeAnalysis(measured(pairs({ n: 100, canaryClass: (i) => (i % 10 === 0 ? 'virginica' : 'setosa') })), RULES);
    expect(v.agreement?.rate).toBeCloseTo(0.9, 5);
    expect(v.outcome).toBe('fail');
    expect(v.classes?.canary['virginica']).toBe(10);
    expect(v.classes?.stable['virginica'] ?? 0).toBe(0);
  });

  it('cannot tell when stable fails every request too (a broken load, not a bad canary)', () => {
    const broken = pairs({ n: 100 }).map((p) => ({ ...p, canary: { ...p.canary, ok: false, status: 404 }, stable: { ...p.stable, ok: false, status: 404 } }));
    const v = judgeAnalysis(measured(broken), RULES);
    expect(v.outcome).toBe('inconclusive');
    expect(v.line).toContain('stable failed every paired request too (100/100)');
  });

  it('does not count warm-up pairs', () => {
    const v = judgeAnalysis(measured(pairs({ n: 60, warmup: 20 })), RULES);
    expect(v.counted).toBe(40);
    expect(v.outcome).toBe('inconclusive');
  });

  it('fails at once on a canary pod signal, and cannot tell on a stable one', () => {
    const signal = { pod: 'iris-canary-x', reason: 'NotReady', detail: 'stopped being Ready', at: 31_000 };
    const canary = judgeAnalysis(measured(pairs({ n: 300 }), { signals: [{ ...signal, track: 'canary' }] }), RULES);
    expect(canary.outcome).toBe('fail');
    expect(canary.line).toBe('pod watch: NotReady on iris-canary-x 31.0s into the window');
    const stable = judgeAnalysis(measured(pairs({ n: 300 }), { signals: [{ ...signal, pod: 'iris-y', track: 'stable' }] }), RULES);
    expect(stable.outcome).toBe('inconclusive');
  });

  it('sums up each interval for the chart', () => {
    const rows = perInterval(pairs({ n: 100 }), 2_000, 10_000);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.pairs === 20)).toBe(true);
    expect(rows[0]?.canaryP50).toBeGreaterThan(0);
  });
});

describe('judgeRelease', () => {
  const base = { mode: 'canary' as const, decideMode: 'auto' as const, onFailure: 'rollback' as const, onInconclusive: 'hold' as const };
  it.each([
    [{ evidence: 'pass' }, 'promote', 'promoted', false],
    [{ evidence: 'fail' }, 'rollback', 'rolled-back', true],
    [{ evidence: 'fail', onFailure: 'hold' }, 'hold', 'held', true],
    [{ evidence: 'inconclusive' }, 'hold', 'held', false],
    [{ evidence: 'inconclusive', onInconclusive: 'fail' }, 'rollback', 'rolled-back', true],
    [{ evidence: 'inconclusive', onInconclusive: 'extend' }, 'hold', 'held', false],
    [{ evidence: 'pass', decideMode: 'manual' }, 'hold', 'held', false],
    [{ evidence: 'pass', mode: 'first' }, 'keep-first', 'promoted', false],
    [{ evidence: 'fail', mode: 'first' }, 'remove-first', 'failed', true],
  ] as const)('%o → %s', (patch, ending, verdict, fails) => {
    const j = judgeRelease({ ...base, ...patch });
    expect([j.ending, j.verdict, j.fails]).toEqual([ending, verdict, fails]);
  });
});

describe('analysisOutputs', () => {
  it('gives the verdict, the counted pairs and the headline figures as outputs', () => {
    const v = judgeAnalysis(measured(pairs({ n: 200, slowdown: 1.5, warmup: 5 })), RULES);
    const out = analysisOutputs(v);
    expect(out.analysis).toBe('fail');
    expect(out['analysis-pairs']).toBe('195');
    expect(Number(out['latency-ratio'])).toBeGreaterThan(1.4);
    expect(Number(out['latency-ratio'])).toBeCloseTo(v.latency?.ratio ?? 0, 3);
    expect(Number(out['error-rate-bound'])).toBeCloseTo(v.errors.upper, 4);
    expect(out.agreement).toBe('1.0000');
  });

  it('leaves a figure empty when the window had nothing to measure it on', () => {
    const out = analysisOutputs(judgeAnalysis(measured([]), RULES));
    expect(out.analysis).toBe('inconclusive');
    expect(out['analysis-pairs']).toBe('0');
    expect(out['latency-ratio']).toBe('');
    expect(out['error-rate-bound']).toBe('');
    expect(out.agreement).toBe('');
  });
});
