import { describe, expect, it } from 'vitest';
import { judgeShare, shareLine } from '../../src/analysis/share.js';
import { routeShare, type GatewayAnswer } from '../../src/analysis/sources/route-share.js';
import type { Measurements } from '../../src/analysis/types.js';
import { CANARY_BACKEND, type HTTPRoute } from '../../src/deploy/traffic/plan.js';
import { routeAtWeight } from '../../src/deploy/traffic/step.js';
import { ModelCanaryError } from '../../src/errors.js';

const live = (refs: { name: string; weight?: number }[], annotations: Record<string, string> = { [CANARY_BACKEND]: 'iris-canary' }): HTTPRoute =>
  ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'iris', namespace: 'models', annotations: { ...annotations, 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, generation: 4 },
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'gw-ns' }],
      hostnames: ['iris.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: refs.map((r) => ({ ...r, port: 8080 })) }],
    },
    status: { parents: [] },
  }) as HTTPRoute;

describe('routeAtWeight: the next step of the route, as data', () => {
  it('sets the canary backend to the weight and stable to the rest, and keeps the rest of the route', () => {
    const stepped = routeAtWeight(
      live([
        { name: 'iris-stable', weight: 90 },
        { name: 'iris-canary', weight: 10 },
      ]),
      25,
    );
    expect(stepped.spec.rules?.[0]?.backendRefs).toEqual([
      { name: 'iris-stable', port: 8080, weight: 75 },
      { name: 'iris-canary', port: 8080, weight: 25 },
    ]);
    expect(stepped.spec.hostnames).toEqual(['iris.example.com']);
    expect(stepped.spec.parentRefs).toEqual([{ name: 'gw', namespace: 'gw-ns' }]);
    // What the server owns is not sent back.
    expect(stepped.metadata).toEqual({ name: 'iris', namespace: 'models', annotations: { [CANARY_BACKEND]: 'iris-canary' } });
    expect('status' in stepped).toBe(false);
  });

  it('finds the canary by its suffix when the annotation is gone, whatever the order of the backends', () => {
    const stepped = routeAtWeight(
      live(
        [
          { name: 'iris-canary', weight: 10 },
          { name: 'iris-stable', weight: 90 },
        ],
        {},
      ),
      50,
    );
    expect(stepped.spec.rules?.[0]?.backendRefs?.map((b) => `${b.name}=${b.weight}`)).toEqual(['iris-canary=50', 'iris-stable=50']);
  });

  it('refuses a route someone else changed: a third backend, or no canary backend', () => {
    expect(() => routeAtWeight(live([{ name: 'iris-stable' }, { name: 'iris-canary' }, { name: 'other' }]), 25)).toThrow(ModelCanaryError);
    expect(() => routeAtWeight(live([{ name: 'iris-stable' }, { name: 'iris-b' }]), 25)).toThrow(
      /is not the one-rule stable\/canary split model-canary made \(iris-stable, iris-b\)/,
    );
  });
});

describe("judgeShare: the canary's share through the Gateway against the route weight", () => {
  it('is within when the 99.9% interval holds the weight, and says so with the figures', () => {
    const r = judgeShare({ sent: 205, canary: 21, stable: 179, other: 0, failed: 5 }, 10);
    expect(r.within).toBe(true);
    expect(r.share).toBeCloseTo(0.105, 6);
    expect(r.lower).toBeLessThan(0.1);
    expect(r.upper).toBeGreaterThan(0.1);
    expect(shareLine(r)).toMatch(/^canary 10\.5% \(21 of 200 through the Gateway, 5 failed; 99\.9% interval \d+\.\d%–\d+\.\d%\) at weight 10%$/);
  });

  it('is outside when the Gateway ignores the weight: all to stable, or half to the canary at 10%', () => {
    expect(judgeShare({ sent: 200, canary: 0, stable: 200, other: 0, failed: 0 }, 10).within).toBe(false);
    expect(judgeShare({ sent: 200, canary: 100, stable: 100, other: 0, failed: 0 }, 10).within).toBe(false);
  });

  it('a tiny sample is not enough to call the Gateway wrong: 1 of 5 at weight 10 is within', () => {
    expect(judgeShare({ sent: 5, canary: 1, stable: 4, other: 0, failed: 0 }, 10).within).toBe(true);
  });

  it('nothing told apart is not within, and the line says what happened', () => {
    const r = judgeShare({ sent: 30, canary: 0, stable: 0, other: 2, failed: 28 }, 25);
    expect(r.within).toBe(false);
    expect(shareLine(r)).toBe('no answer through the Gateway told the tracks apart (30 sent, 28 failed, 2 of another version)');
  });
});

describe('routeShare: counting which track answered through the Gateway', () => {
  it('sends at the rate after the settle time, and counts canary, stable, other versions and failures', async () => {
    const answers: GatewayAnswer[] = [
      { status: 200, identity: 'v2' },
      { status: 200, identity: 'v1' },
      { status: 200, identity: 'v1' },
      { status: 200, identity: 'v0' },
      { status: 503, identity: 'v2' },
    ];
    let asked = 0;
    const source = routeShare({
      ask: async () => answers[asked++ % answers.length] as GatewayAnswer,
      identities: { canary: 'v2', stable: 'v1' },
      rps: 100,
      settleMs: 100,
    });
    await source.start(Date.now(), () => undefined);
    await new Promise((r) => setTimeout(r, 60));
    const early: Measurements = { elapsedMs: 0, pairs: [], signals: [], skipped: 0 } as unknown as Measurements;
    source.measure(early);
    expect(early.share?.sent).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    await source.stop();
    const into = { elapsedMs: 0, pairs: [], signals: [], skipped: 0 } as unknown as Measurements;
    source.measure(into);
    const s = into.share;
    expect(s?.sent).toBeGreaterThanOrEqual(10);
    expect(s?.sent).toBe(asked);
    // Five answers in turn: each kind is counted as its own.
    expect((s?.canary ?? 0) + (s?.stable ?? 0) + (s?.other ?? 0) + (s?.failed ?? 0)).toBe(s?.sent);
    expect(s?.stable).toBeGreaterThanOrEqual(Math.floor((s?.sent ?? 0) / 5) * 2);
    expect(s?.failed).toBeGreaterThanOrEqual(Math.floor((s?.sent ?? 0) / 5));
    expect(s?.other).toBeGreaterThanOrEqual(Math.floor((s?.sent ?? 0) / 5));
    // Stopped means stopped.
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).toBe(s?.sent);
  });

  it('sends nothing at rate 0', async () => {
    let asked = 0;
    const source = routeShare({ ask: async () => (asked++, { status: 200, identity: 'v1' }), identities: { canary: 'v2', stable: 'v1' }, rps: 0, settleMs: 0 });
    await source.start(Date.now(), () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await source.stop();
    expect(asked).toBe(0);
  });
});
