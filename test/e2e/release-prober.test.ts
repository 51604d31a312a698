import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from './cluster-env.js';
import { asServiceAccount, getJson, imageOf, type LiveDeployment } from './deploy-env.js';
import { describeFailures, Prober, release, releaseSet, serviceAddress, waitRoutable } from './fixtures/release-prober.js';

// Zero-downtime releases of the example on the real cluster, as the ServiceAccount of docs/rbac.yaml in a
// restricted namespace: v1 (first deploy), then, while a prober sends a V2 inference to the Service's
// ClusterIP every 50 ms, a v2 release that is promoted and a crashing v2 that is rolled back. Not one
// request may fail.

const ns = uniqueName('e2e-prober');
const stamp = Date.now().toString(36);
let restore: (() => Promise<void>) | undefined;
let prober: Prober | undefined;

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
}, 300_000);

afterAll(async () => {
  await prober?.stop();
  await restore?.();
});

describe('releases under traffic', () => {
  it('promotes v2 and rolls back a crashing v2 with no failed request', async () => {
    const v1 = await release(ns, `e2e-prober-v1-${stamp}`, releaseSet(['model.version="1.0.0"', 'image.buildArgs.VARIANT=v1', 'smoke.enabled=false']));
    expect(v1.code, v1.host.log).toBe(0);
    expect(v1.host.outputs?.verdict).toBe('promoted');

    // v1 is Ready when the release ends, but kube-proxy may route its new endpoint a moment later: the
    // prober starts once the Service answers.
    const url = await serviceAddress(ns, 'iris');
    const routable = await waitRoutable(url);
    console.log(`the Service answered ${routable} ms after the v1 release ended`);
    prober = new Prober(url, { intervalMs: 50, timeoutMs: 5_000, maxRequests: 12_000, maxMs: 480_000 });
    prober.start();
    const warm = Date.now() + 10_000;
    while (prober.results.filter((r) => r.ok).length < 5 && Date.now() < warm) await new Promise((r) => setTimeout(r, 100));
    expect(prober.results.filter((r) => r.ok).length, describeFailures(prober.failures())).toBeGreaterThanOrEqual(5);

    const v2 = await release(ns, `e2e-prober-v2-${stamp}`, releaseSet(['model.version="2.0.0"', 'image.buildArgs.VARIANT=v2', 'smoke.enabled=true']));
    expect(v2.code, v2.host.log).toBe(0);
    expect(v2.host.outputs?.verdict).toBe('promoted');
    const stableImage = imageOf(await deployment('iris'));
    expect(stableImage).toBe(v2.host.outputs?.image);

    const broken = await release(
      ns,
      `e2e-prober-broken-${stamp}`,
      releaseSet(['model.version="2.0.1"', 'image.buildArgs.VARIANT=v2', 'render.values.settings.MODEL_FAULT=crash', 'smoke.enabled=true']),
    );
    expect(broken.code).toBe(1);
    expect(broken.host.outputs?.verdict, broken.host.log).toBe('rolled-back');
    expect(await deployment('iris-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris'))).toBe(stableImage);

    // Keep probing a few seconds after the rollback: the canary's pods are going away.
    await new Promise((r) => setTimeout(r, 3_000));
    const results = await prober.stop();
    const failures = prober.failures();
    const during = { promote: prober.count(v2.startedAt, v2.endedAt), rollback: prober.count(broken.startedAt, broken.endedAt) };
    console.log(
      `prober: ${results.length} request(s), ${failures.length} failed; ${during.promote} during the v2 release, ${during.rollback} during the crashing release`,
    );
    if (failures.length) console.log(describeFailures(failures));
    expect(during.promote).toBeGreaterThan(20);
    expect(during.rollback).toBeGreaterThan(20);
    // Traffic moved from v1 to v2 during the promotion: the answers name both model versions.
    const versions = [...new Set(results.map((r) => r.version).filter(Boolean))];
    console.log(`model versions answered: ${versions.join(', ')}`);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(failures.length, describeFailures(failures)).toBe(0);
  }, 900_000);
});
