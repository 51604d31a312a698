import { describe, expect, it } from 'vitest';
import type { Annotation, Logger } from '../../src/log/logger.js';
import { judge } from '../../src/smoke/judge.js';
import { annotateFailures, logReport, smokeOutputs, smokeSection } from '../../src/smoke/report.js';
import type { CaseResult, SmokeReport } from '../../src/smoke/types.js';

const r = (c: string, pod: string, outputs: unknown[], latencyMs: number, track: CaseResult['track'] = 'canary'): CaseResult => ({
  case: c,
  pod,
  track,
  status: 200,
  latencyMs,
  outputs,
  verdict: 'pass',
  why: [],
});

function report(): SmokeReport {
  const canary = [r('a', 'pod-1', ['x'], 10), r('b', 'pod-1', ['z'], 30), r('a', 'pod-2', ['x'], 12), r('b', 'pod-2', ['z'], 14)];
  const stable = [r('a', 'stable-1', ['x'], 5, 'stable'), r('b', 'stable-1', ['y'], 5, 'stable')];
  const thresholds = { errorRate: 0, p95Ms: 1000 };
  const j = judge({ thresholds, parity: { enabled: true, minAgreement: 0.99, relativeTolerance: 0.01 } }, canary, stable, {
    'pod-1': 'pods-proxy',
    'pod-2': 'pods-proxy',
  });
  return {
    ...j,
    protocol: 'open-inference-v2',
    namespace: 'ns',
    deployment: 'iris-canary',
    revision: '3',
    replicaSet: 'iris-canary-abc',
    transport: 'pods-proxy',
    startedAt: '',
    durationMs: 120,
    cases: 2,
    results: [...canary, ...stable],
    path: '/tmp/smoke.json',
  };
}

class Recorder implements Logger {
  readonly debugEnabled = false;
  lines: string[] = [];
  errors: { message: string; where?: Annotation }[] = [];
  debug(): void {}
  info(m: string): void {
    this.lines.push(m);
  }
  warn(m: string): void {
    this.lines.push(m);
  }
  error(message: string, where?: Annotation): void {
    this.errors.push(where ? { message, where } : { message });
  }
  group<T>(_t: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  setSecret(): void {}
}

describe('the smoke report’s log, summary, annotations and outputs', () => {
  it('writes the same numbers everywhere, from the one report', () => {
    const rep = report();
    expect(rep.verdict).toBe('fail');
    const logger = new Recorder();
    logReport(rep, logger);
    annotateFailures(rep, logger);
    const section = smokeSection(rep, { errorRate: 0, p95Ms: 1000 });
    for (const p of [...rep.pods, rep.overall]) {
      expect(logger.lines.join('\n')).toContain(
        `${p.pod}: ${p.requests} request(s), ${p.failed} error(s) (0%), p50 ${p.latency.p50Ms} ms, p95 ${p.latency.p95Ms} ms, p99 ${p.latency.p99Ms} ms`,
      );
      expect(section).toContain(
        `| ${p.pod} | pods-proxy | ${p.requests} | ${p.failed} | 0% | ${p.latency.p50Ms} ms | ${p.latency.p95Ms} ms | ${p.latency.p99Ms} ms |`,
      );
    }
    expect(section).toContain('### Smoke: ❌ failed');
    // Brackets are escaped in a summary cell (src/log/markdown.ts), so a prediction cannot make a link.
    expect(section).toContain('| b | pod-1 | 200 | 30 ms | disagrees with stable: canary \\["z"\\], stable \\["y"\\] |');
    expect(logger.errors).toEqual([
      { message: 'Smoke case "b" failed on pod-1, pod-2: disagrees with stable: canary ["z"], stable ["y"]', where: { title: 'Smoke case b failed' } },
    ]);
    expect(smokeOutputs(rep)).toEqual({ verdict: 'failed', 'error-rate': '0', 'p95-ms': String(rep.p95Ms), report: '/tmp/smoke.json' });
    expect(rep.p95Ms).toBe(30);
  });
});
