import type { CaseExpectation } from './types.js';
import { brief } from './protocols/protocol.js';

/** Equal as JSON values; numbers within the tolerance when one is given. */
export function sameValue(actual: unknown, expected: unknown, tolerance?: CaseExpectation['tolerance']): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (actual === expected) return true;
    if (!tolerance) return false;
    const diff = Math.abs(actual - expected);
    if (tolerance.absolute !== undefined && diff <= tolerance.absolute) return true;
    return tolerance.relative !== undefined && diff <= tolerance.relative * Math.abs(expected);
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((a, i) => sameValue(a, expected[i], tolerance));
  }
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const ka = Object.keys(actual).sort();
    const ke = Object.keys(expected).sort();
    return (
      ka.length === ke.length &&
      ka.every((k, i) => k === ke[i] && sameValue((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], tolerance))
    );
  }
  return actual === expected;
}

/** What is wrong with an answer, given the case's expectations; empty when nothing is. */
export function checkExpectation(expect: CaseExpectation | undefined, status: number, outputs: unknown[] | undefined, latencyMs: number): string[] {
  const why: string[] = [];
  const statuses = expect?.status === undefined ? undefined : Array.isArray(expect.status) ? expect.status : [expect.status];
  if (statuses ? !statuses.includes(status) : status < 200 || status > 299) {
    why.push(`status ${status}, expected ${statuses ? statuses.join(' or ') : '2xx'}`);
  }
  if (expect?.outputs && outputs && !sameValue(outputs, expect.outputs, expect.tolerance)) {
    const within = expect.tolerance ? ` (tolerance ${brief(expect.tolerance)})` : '';
    why.push(`outputs ${brief(outputs)}, expected ${brief(expect.outputs)}${within}`);
  }
  if (expect?.classes && outputs) {
    const bad = outputs.filter((o) => !expect.classes?.some((c) => sameValue(o, c)));
    if (bad.length > 0) why.push(`output ${brief(bad[0])} is not one of ${brief(expect.classes)}`);
  }
  if (expect?.maxLatencyMs !== undefined && latencyMs > expect.maxLatencyMs) {
    why.push(`latency ${Math.round(latencyMs)} ms over the case's limit of ${expect.maxLatencyMs} ms`);
  }
  return why;
}

/** Outputs are a regression's when every leaf is a number and some is not an integer; else a classification's. */
export function outputKind(values: readonly unknown[]): 'classification' | 'regression' {
  const leaves = values.flat(Infinity as 1);
  return leaves.length > 0 && leaves.every((v) => typeof v === 'number') && leaves.some((v) => !Number.isInteger(v)) ? 'regression' : 'classification';
}

/** One case's agreement with stable: equal rows (classification) and the largest relative error (regression). */
export function compareWithStable(
  canary: readonly unknown[],
  stable: readonly unknown[],
  kind: 'classification' | 'regression',
): { agreed: number; compared: number; maxRelativeError?: number } {
  const compared = Math.max(canary.length, stable.length);
  if (kind === 'classification') {
    let agreed = 0;
    for (let i = 0; i < compared; i++) if (i < canary.length && i < stable.length && sameValue(canary[i], stable[i])) agreed++;
    return { agreed, compared };
  }
  const a = canary.flat(Infinity as 1) as unknown[];
  const b = stable.flat(Infinity as 1) as unknown[];
  if (a.length !== b.length) return { agreed: 0, compared, maxRelativeError: Infinity };
  let max = 0;
  a.forEach((x, i) => {
    const y = b[i];
    const err = typeof x === 'number' && typeof y === 'number' ? relativeError(x, y) : Infinity;
    max = Math.max(max, err);
  });
  return { agreed: max === 0 ? compared : 0, compared, maxRelativeError: max };
}

/** |a - b| relative to |b|; an absolute difference when b is (nearly) zero. */
export function relativeError(a: number, b: number): number {
  const diff = Math.abs(a - b);
  return Math.abs(b) < 1e-12 ? diff : diff / Math.abs(b);
}
