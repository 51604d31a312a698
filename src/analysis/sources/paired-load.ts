import type { Protocol } from '../../smoke/protocols/index.js';
import { NoAnswer, type Channel, type PodTarget } from '../../smoke/transport/channel.js';
import type { SmokeCase } from '../../smoke/types.js';
import type { EvidenceSource, Measurements, Pair, Shot } from '../types.js';

export interface PairedLoadOptions {
  cases: SmokeCase[];
  protocol: Protocol;
  canary: PodTarget[];
  stable: PodTarget[];
  channel: (pod: PodTarget) => Channel;
  rps: number;
  warmup: number;
  requestTimeoutMs: number;
  /** At most this many pairs in flight; a tick that finds them all busy is counted as skipped. */
  inFlight?: number;
  /** For tests: the coin that picks which side goes first, and the pods. */
  random?: () => number;
}

/**
 * The paired load: `rps` times a second, one smoke case (cycling through the synchronous ones) goes to a
 * random canary pod and a random stable pod with the same payload, in random order, back to back, so
 * the two answers share the moment's conditions (node load, GC, noisy neighbours) and their latency
 * ratio measures the model, not the minute. The first `warmup` pairs are marked and not counted.
 */
export function pairedLoad(options: PairedLoadOptions): EvidenceSource {
  const random = options.random ?? Math.random;
  const cases = options.cases.filter((c) => !c.async);
  const pairs: Pair[] = [];
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let skipped = 0;
  let sent = 0;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length) % list.length] as T;
  const shoot = async (pod: PodTarget, c: SmokeCase): Promise<Shot> => {
    try {
      const answer = await options.channel(pod).send(options.protocol.encode(c), options.requestTimeoutMs);
      const shot: Shot = { pod: pod.name, status: answer.status, latencyMs: answer.latencyMs, ok: false };
      if (answer.status < 200 || answer.status >= 300) return { ...shot, error: `answered ${answer.status}` };
      const decoded = options.protocol.decode(c, answer.body);
      return 'error' in decoded ? { ...shot, error: decoded.error } : { ...shot, ok: true, outputs: decoded.outputs };
    } catch (err) {
      // No answer, or no way to reach the pod at all (a pod that died, a port-forward refused): either
      // way this side of the pair failed; the pod watch says why the pod went.
      const message = err instanceof NoAnswer ? err.message : `unreachable: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
      return { pod: pod.name, status: 0, latencyMs: 0, ok: false, error: message };
    }
  };
  const sendPair = async (opened: number): Promise<void> => {
    const c = cases[sent % cases.length] as SmokeCase;
    const warmup = sent < options.warmup;
    sent++;
    const at = Date.now() - opened;
    const canaryFirst = random() < 0.5;
    const canaryPod = pick(options.canary);
    const stablePod = pick(options.stable);
    let canary: Shot;
    let stable: Shot;
    if (canaryFirst) {
      canary = await shoot(canaryPod, c);
      stable = await shoot(stablePod, c);
    } else {
      stable = await shoot(stablePod, c);
      canary = await shoot(canaryPod, c);
    }
    pairs.push({ at, case: c.name, canaryFirst, warmup, canary, stable });
  };
  return {
    name: 'paired load',
    async start(opened) {
      if (options.rps <= 0 || cases.length === 0 || options.canary.length === 0 || options.stable.length === 0) return;
      const limit = options.inFlight ?? 4;
      timer = setInterval(() => {
        if (running.size >= limit) {
          skipped++;
          return;
        }
        const p: Promise<void> = sendPair(opened).finally(() => running.delete(p));
        running.add(p);
      }, 1000 / options.rps);
    },
    measure(into: Measurements) {
      into.pairs.push(...[...pairs].sort((a, b) => a.at - b.at));
      into.skipped += skipped;
    },
    async stop() {
      if (timer) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
