import { describe, expect, it } from 'vitest';
import { checkExpectation, compareWithStable, outputKind, relativeError, sameValue } from '../../src/smoke/compare.js';
import { judge } from '../../src/smoke/judge.js';
import { percentile, summarizeLatency } from '../../src/smoke/stats.js';
import type { CaseResult } from '../../src/smoke/types.js';

const SMOKE = {
  thresholds: { errorRate: 0, p95Ms: 100 },
  parity: { enabled: true, minAgreement: 0.99, relativeTolerance: 0.01 },
};

function result(c: string, pod: string, outputs: unknown[], latencyMs = 10, track: CaseResult['track'] = 'canary', status = 200): CaseResult {
  return { case: c, pod, track, status, latencyMs, outputs, verdict: status === 200 ? 'pass' : 'fail', why: status === 200 ? [] : [`status ${status}`] };
}

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([30, 10, 20], 0.5)).toBe(20);
    expect(summarizeLatency([1, 2, 3, 4, 1000])).toEqual({ count: 5, p50Ms: 3, p95Ms: 1000, p99Ms: 1000, maxMs: 1000 });
  });
});

describe('comparing outputs', () => {
  it('compares exactly, within a tolerance, and a class from a set', () => {
    expect(sameValue(['a', 1], ['a', 1])).toBe(true);
    expect(sameValue(1.04, 1, { absolute: 0.05 })).toBe(true);
    expect(sameValue(1.06, 1, { absolute: 0.05 })).toBe(false);
    expect(sameValue(103, 100, { relative: 0.05 })).toBe(true);
    expect(sameValue([[0.1, 0.9]], [[0.1, 0.9]])).toBe(true);
    expect(checkExpectation({ outputs: ['setosa'] }, 200, ['virginica'], 5)).toEqual(['outputs ["virginica"], expected ["setosa"]']);
    expect(checkExpectation({ classes: ['a', 'b'] }, 200, ['a', 'c'], 5)).toEqual(['output c is not one of ["a","b"]']);
    expect(checkExpectation(undefined, 503, undefined, 5)).toEqual(['status 503, expected 2xx']);
    expect(checkExpectation({ status: 400 }, 400, undefined, 5)).toEqual([]);
    expect(checkExpectation({ maxLatencyMs: 50 }, 200, [], 80)).toEqual(["latency 80 ms over the case's limit of 50 ms"]);
  });

  it('tells classification from regression and measures agreement', () => {
    expect(outputKind(['a', 'b'])).toBe('classification');
    expect(outputKind([0, 1, 2])).toBe('classification');
    expect(outputKind([0.5, 1])).toBe('regression');
    expect(compareWithStable(['a', 'b'], ['a', 'c'], 'classification')).toEqual({ agreed: 1, compared: 2 });
    expect(compareWithStable([1.01], [1.0], 'regression').maxRelativeError).toBeCloseTo(0.01);
    expect(relativeError(0.001, 0)).toBeCloseTo(0.001);
  });
});

describe('judging a smoke run', () => {
  it('passes agreeing, fast, error-free answers', () => {
    const canary = [result('a', 'p1', ['x']), result('a', 'p2', ['x']), result('b', 'p1', ['y']), result('b', 'p2', ['y'])];
    const stable = [result('a', 's1', ['x'], 5, 'stable'), result('b', 's1', ['y'], 5, 'stable')];
    const j = judge(SMOKE, canary, stable, { p1: 'pods-proxy', p2: 'pods-proxy' });
    expect(j.verdict).toBe('pass');
    expect(j.parity).toMatchObject({ enabled: true, kind: 'classification', agreement: 1, passed: true });
    expect(j.pods.map((p) => p.pod)).toEqual(['p1', 'p2']);
  });

  it('fails a canary whose classes disagree with stable, naming the cases', () => {
    const canary = [result('a', 'p1', ['y']), result('b', 'p1', ['y'])];
    const stable = [result('a', 's1', ['x'], 5, 'stable'), result('b', 's1', ['y'], 5, 'stable')];
    const j = judge(SMOKE, canary, stable, {});
    expect(j.verdict).toBe('fail');
    expect(j.parity.agreement).toBe(0.5);
    expect(j.failures[0]).toMatch(/50% of 2 predictions agree, under smoke.parity.minAgreement 99%/);
    expect(j.failingCases).toEqual(['a']);
    expect(j.errorRate).toBe(0);
    expect(canary[0]?.why[0]).toMatch(/disagrees with stable: canary \["y"\], stable \["x"\]/);
  });

  it('fails a regression beyond the relative tolerance', () => {
    const j = judge(SMOKE, [result('r', 'p1', [1.5])], [result('r', 's1', [1.0], 5, 'stable')], {});
    expect(j.parity).toMatchObject({ kind: 'regression', passed: false });
    expect(j.failures[0]).toMatch(/relative error up to 0.500/);
    const ok = judge(SMOKE, [result('r', 'p1', [1.005])], [result('r', 's1', [1.0], 5, 'stable')], {});
    expect(ok.verdict).toBe('pass');
  });

  it('fails on p95 per pod and names the slow cases', () => {
    const canary = [result('a', 'p1', ['x'], 20), result('b', 'p1', ['x'], 1500), result('a', 'p2', ['x'], 10), result('b', 'p2', ['x'], 12)];
    const j = judge({ ...SMOKE, parity: { ...SMOKE.parity, enabled: false } }, canary, [], {});
    expect(j.verdict).toBe('fail');
    expect(j.failures.some((f) => /p95 latency 1500 ms on p1 is over smoke.thresholds.p95Ms 100 ms/.test(f))).toBe(true);
    expect(j.failingCases).toEqual(['b']);
    expect(j.pods.find((p) => p.pod === 'p2')?.latency.p95Ms).toBe(12);
  });

  it('fails on the error rate and counts each failed request', () => {
    const canary = [result('a', 'p1', [], 5, 'canary', 500), result('b', 'p1', ['x'])];
    const j = judge({ ...SMOKE, thresholds: { errorRate: 0.1, p95Ms: 1000 } }, canary, [], {});
    expect(j.errorRate).toBe(0.5);
    expect(j.failures[0]).toMatch(/error rate 50% \(1 of 2\) is over smoke.thresholds.errorRate 10%/);
    expect(j.failingCases).toEqual(['a']);
  });

  it('says why parity was not compared without a stable', () => {
    const j = judge(SMOKE, [result('a', 'p1', ['x'])], [], {});
    expect(j.verdict).toBe('pass');
    expect(j.parity.note).toMatch(/no Ready stable pod/);
  });
});
