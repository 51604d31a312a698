import { afterAll, beforeAll, expect, it } from 'vitest';
import { kubectlJson, uniqueName } from '../test/e2e/cluster-env.js';
import { asServiceAccount } from '../test/e2e/deploy-env.js';
import { CLAIM, command, kserveWorkspace, offerModels, removeModelVolume, setUpKServe, type KServeSetup } from '../test/e2e/fixtures/kserve.js';
import { exampleCommand, release, releaseSet } from '../test/e2e/fixtures/release-prober.js';

// What a promotion costs, in one run on the real cluster: KServe Standard mode (strategy kserve: stable's
// predictor retargeted to the canary's Deployment) against strategy replicas (stable takes the canary's
// template: a rolling update), each with 2 stable replicas and a held canary of 1, promoted by command promote.
// Counted: the pods created from the promote's start to its end (pod starts), and its seconds.
//   npm run bench:kserve
// Every figure printed is measured in this run.

const ns = uniqueName('bench-kserve');
let setup: KServeSetup | undefined;
let restore: (() => Promise<void>) | undefined;
const rows: string[] = [];

beforeAll(async () => {
  setup = await setUpKServe(ns);
  ({ restore } = await asServiceAccount(ns));
  await offerModels(setup);
}, 1_800_000);

afterAll(async () => {
  console.log(`promote cost (one run, 2 stable replicas, a canary of 1):\n${rows.map((r) => `  ${r}`).join('\n')}`);
  await restore?.();
  if (setup) await removeModelVolume(setup);
});

/** Pods of the model created at or after `since` (ms since the epoch), and how many run now. */
async function podsStarted(selector: string, since: number): Promise<{ started: number; running: number }> {
  const pods = await kubectlJson<{ items: { metadata: { creationTimestamp: string; deletionTimestamp?: string } }[] }>([
    '-n',
    ns,
    'get',
    'pods',
    '-l',
    selector,
  ]);
  // creationTimestamp has whole seconds: compare with the second the promote started in.
  const from = Math.floor(since / 1000) * 1000;
  return {
    started: pods.items.filter((p) => Date.parse(p.metadata.creationTimestamp) >= from).length,
    running: pods.items.filter((p) => !p.metadata.deletionTimestamp).length,
  };
}

it('promotes a held canary with KServe Standard mode and with strategy replicas', async () => {
  const s = setup;
  if (!s) throw new Error('no setup');
  // KServe: 2 stable replicas; KServe runs the canary at ceil(2 x 20 %) = 1 and takes it off stable meanwhile.
  const scale = ['render.values.kserve.minReplicas=2', 'render.values.kserve.maxReplicas=2'];
  const k = 'iris-k';
  expect((await command(s, kserveWorkspace(s, k, `pvc://${CLAIM}/v1`), { command: 'release', set: scale })).verdict).toBe('promoted');
  const held = await command(s, kserveWorkspace(s, k, `pvc://${CLAIM}/v2`, ['decide: { mode: manual }']), { command: 'release', set: scale });
  expect(held.verdict, held.log).toBe('held');
  const kStart = Date.now();
  const kPromoted = await command(s, kserveWorkspace(s, k, `pvc://${CLAIM}/v2`), { command: 'promote', set: scale });
  const kSeconds = (Date.now() - kStart) / 1000;
  expect(kPromoted.verdict, kPromoted.log).toBe('promoted');
  const kPods = await podsStarted(`serving.kserve.io/inferenceservice=${k}`, kStart);

  // strategy replicas: the example, 2 stable replicas, a canary of 1.
  const r = 'iris';
  const set = (extra: string[]) => releaseSet(['render.values.replicas=2', 'canary.replicas=1', 'analysis.duration=0s', 'analysis.postPromotion=0s', ...extra]);
  expect((await release(ns, 'v1', set(['image.buildArgs.VARIANT=v1']))).code).toBe(0);
  const rHeld = await release(ns, 'v2', set(['image.buildArgs.VARIANT=v2', 'decide.mode=manual']));
  expect(rHeld.code, rHeld.host.log).toBe(0);
  const rStart = Date.now();
  const rPromoted = await exampleCommand(ns, { command: 'promote', set: set(['decide.mode=manual']) });
  const rSeconds = (Date.now() - rStart) / 1000;
  expect(rPromoted.code, rPromoted.host.log).toBe(0);
  const rPods = await podsStarted(`app.kubernetes.io/name=${r}`, rStart);

  rows.push(`kserve (Standard mode): ${kPods.started} pod start(s), ${kSeconds.toFixed(1)} s, ${kPods.running} pod(s) after`);
  rows.push(`replicas: ${rPods.started} pod start(s), ${rSeconds.toFixed(1)} s, ${rPods.running} pod(s) after`);
  rows.push(`ratio of promote seconds kserve / replicas: ${(kSeconds / rSeconds).toFixed(2)}`);
  expect(kPods.started).toBeLessThan(rPods.started);
});
