import { clopperPearson } from './stats/index.js';
import type { ShareResult, ShareSample } from './types.js';

/** Wide on purpose: a false "the Gateway ignores the weight" should be rarer than one in a thousand steps. */
export const SHARE_CONFIDENCE = 0.999;

/** The share the canary got of the answered requests, with its interval, against the route's weight (percent). */
export function judgeShare(sample: ShareSample, weight: number): ShareResult {
  const n = sample.canary + sample.stable;
  const { lower, upper } = clopperPearson(sample.canary, n, SHARE_CONFIDENCE);
  const p = weight / 100;
  return { ...sample, weight, share: n === 0 ? 0 : sample.canary / n, lower, upper, within: n > 0 && lower <= p && p <= upper };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** "canary 9.8% (49 of 500 through the Gateway; 99.9% interval 6.6–13.9%) at weight 10%" */
export function shareLine(r: ShareResult): string {
  const n = r.canary + r.stable;
  if (n === 0) return `no answer through the Gateway told the tracks apart (${r.sent} sent, ${r.failed} failed, ${r.other} of another version)`;
  const extra = [r.failed ? `${r.failed} failed` : '', r.other ? `${r.other} of another version` : ''].filter(Boolean).join(', ');
  return `canary ${pct(r.share)} (${r.canary} of ${n} through the Gateway${extra ? `, ${extra}` : ''}; ${SHARE_CONFIDENCE * 100}% interval ${pct(r.lower)}–${pct(r.upper)}) at weight ${r.weight}%`;
}
