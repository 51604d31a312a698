import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import type { Config } from '../../src/config/types.js';
import { chartPath, render, type KubeObject } from '../../src/render/index.js';
import { isRecord, parseObjects, stringifyObjects } from '../../src/render/objects.js';
import { chartDefaults, chartValues } from '../../src/render/values.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { removeTempDirs, tempDir, writeFiles } from '../helpers/temp.js';
import { configFrom, DIGEST, goldenConfig, HELM, OTHER_DIGEST, PINNED_PATH, RENDER_FIXTURES, stageContext } from '../fixtures/render/context.js';
import { buildAndPush, exec, kubectl, kubectlJson, REGISTRY, REPO_ROOT, restrictedNamespace, uniqueName } from './cluster-env.js';

// The render stage with the real pinned helm and kubectl, checked against the real cluster: every golden
// set passes `helm lint --strict` and a server-side dry run in a namespace enforcing Pod Security
// "restricted"; the user's chart (a folder and an oci:// chart in the local registry), kustomize directory
// and manifests get the digest; `command render` pins the image by the registry's digest, and what it writes
// runs for real.

const SETS = ['cpu', 'gpu', 'hpa', 'kserve', 'worker'] as const;
const ns = uniqueName('e2e-render');
const CRD = path.join(RENDER_FIXTURES, 'kserve-inferenceservice-crd.yaml');
let crdWasThere = false;

const built = (config: Config, digest = DIGEST) => ({ reference: `${config.image.repository}@${digest}`, digest });

beforeAll(async () => {
  const namespace = restrictedNamespace(ns) as { metadata: { labels: Record<string, string> } };
  // warn too, so a Deployment that would make non-compliant pods shows up as a warning on stderr.
  Object.assign(namespace.metadata.labels, { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest' });
  await kubectl(['apply', '--server-side', '--field-manager=model-canary-e2e', '-f', '-'], { stdin: JSON.stringify(namespace) });
  // KServe's own CRD where cluster/kserve.sh installed it (and its webhooks then see the dry run), else a
  // minimal structural CRD (our own, see the file) lets the API server dry-run an InferenceService.
  crdWasThere = (await kubectl(['get', 'crd', 'inferenceservices.serving.kserve.io'], { allowFailure: true })).exitCode === 0;
  if (!crdWasThere) {
    await kubectl(['apply', '--server-side', '--field-manager=model-canary-e2e', '-f', CRD]);
    await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/inferenceservices.serving.kserve.io']);
  }
}, 180_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  if (!crdWasThere) await kubectl(['delete', '-f', CRD, '--wait=false'], { allowFailure: true });
  removeTempDirs();
}, 180_000);

/** Server-side dry run of the objects in the test namespace; returns kubectl's stderr (warnings). */
async function dryRun(objects: KubeObject[]): Promise<string> {
  const items = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
  const result = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=model-canary-e2e', '-f', '-'], {
    stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  });
  return result.stderr;
}

/**
 * Pod Security admission enforces on Pods, not on Deployments: each pod template (and a KServe predictor,
 * which is a pod spec) is also dry-run as a Pod, so "restricted" really judges it.
 */
function podsOf(objects: KubeObject[]): KubeObject[] {
  return objects.flatMap((o) => {
    const spec = isRecord(o['spec']) ? o['spec'] : {};
    let pod: Record<string, unknown> | undefined;
    if (o.kind === 'Deployment' && isRecord(spec['template']) && isRecord(spec['template']['spec'])) pod = spec['template']['spec'];
    if (o.kind === 'InferenceService' && isRecord(spec['predictor'])) {
      const { minReplicas: _min, maxReplicas: _max, ...podSpec } = spec['predictor'];
      pod = podSpec;
    }
    // The ServiceAccount is not created by a dry run, and admission looks it up: the copy runs as default.
    const { serviceAccountName: _sa, ...spec2 } = pod ?? {};
    return pod ? [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${o.metadata.name}-pod` }, spec: spec2 }] : [];
  });
}

describe.each(SETS)('golden set %s', (name) => {
  it('renders the committed objects, writes them to render.output as the same data, with no policy finding', async () => {
    const config = goldenConfig(name);
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    expect(result.findings).toEqual([]);
    expect(parseObjects(readFileSync(result.output, 'utf8'), 'render.output')).toEqual(result.objects);
    // A change to the chart shows up here as a diff against the committed file (`vitest -u` rewrites it).
    await expect(stringifyObjects(result.objects)).toMatchFileSnapshot(`../fixtures/render/golden/${name}.expected.yaml`);
  });

  it('passes helm lint --strict with the same values', async () => {
    const config = goldenConfig(name);
    const dir = tempDir('render-lint-');
    const defaults = path.join(dir, 'defaults.json');
    const values = path.join(dir, 'values.json');
    writeFileSync(defaults, JSON.stringify(chartDefaults(config)));
    writeFileSync(values, JSON.stringify(chartValues(config, { repository: config.image.repository, digest: DIGEST })));
    const lint = await exec(HELM, ['lint', '--strict', chartPath(), '--namespace', config.cluster.namespace, '-f', defaults, '-f', values], {
      allowFailure: true,
    });
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toContain('0 chart(s) failed');
  });

  it(`is accepted by a server-side dry run under Pod Security "restricted"${name === 'kserve' ? ' (against the test CRD: no KServe controller runs here)' : ''}`, async () => {
    const config = goldenConfig(name, ns);
    const { ctx } = stageContext();
    const { objects } = await render(config, built(config), ctx);
    const warnings = await dryRun([...objects, ...podsOf(objects)]);
    expect(warnings).not.toMatch(/PodSecurity|violate/);
  });
});

describe("the user's own deployment gets the digest", () => {
  const byoConfig = (render: string, files: Record<string, string> = {}): Config =>
    configFrom(
      [
        'apiVersion: model-canary/v1',
        'model: { name: byo, version: "1.0.0" }',
        `image: { repository: ${REGISTRY}/e2e/byo, dockerfile: Dockerfile }`,
        render,
        `cluster: { namespace: ${ns} }`,
        'smoke: { enabled: false }',
        '',
      ].join('\n'),
      { files },
    );
  const images = (objects: KubeObject[]): string[] =>
    objects.flatMap((o) => {
      const spec = (o['spec'] as { template?: { spec?: { containers?: { image: string }[]; initContainers?: { image: string }[] } } }).template?.spec;
      return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image);
    });
  const pinned = `${REGISTRY}/e2e/byo@${DIGEST}`;

  it('a chart folder: containers and init containers, a port in the registry, a reference already pinned', async () => {
    const config = byoConfig('render: { mode: chart, chart: chart, values: { replicas: 2 } }', chartFiles());
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    expect(images(result.objects)).toEqual([pinned, pinned, 'busybox-sidecar@' + OTHER_DIGEST]);
    expect(result.injected).toEqual(['Deployment/byo spec.template.spec.initContainers[0].image', 'Deployment/byo spec.template.spec.containers[0].image']);
    expect((result.objects.find((o) => o.kind === 'Deployment')?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(await dryRun(result.objects)).not.toMatch(/violate/);
  });

  it('an oci:// chart pushed to the local registry', async () => {
    const dir = tempDir('render-oci-');
    const chartDir = path.join(dir, 'src');
    const files = chartFiles();
    writeFiles(chartDir, Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace(/^chart\//, ''), v])));
    const version = `0.1.${Date.now() % 100000}`;
    await exec(HELM, ['package', chartDir, '--version', version, '--destination', dir]);
    await exec(HELM, ['push', path.join(dir, `byo-chart-${version}.tgz`), `oci://${REGISTRY}/e2e-charts`, '--plain-http'], {
      env: { HELM_REGISTRY_CONFIG: path.join(dir, 'registry.json') },
    });
    const config = byoConfig(`render: { mode: chart, chart: "oci://${REGISTRY}/e2e-charts/byo-chart", chartVersion: "${version}" }`);
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    expect(images(result.objects)).toEqual([pinned, pinned, 'busybox-sidecar@' + OTHER_DIGEST]);
  });

  it('a kustomize directory, built with kubectl kustomize', async () => {
    const config = byoConfig('render: { mode: kustomize, kustomize: k }', {
      'k/kustomization.yaml': 'resources: [deployment.yaml]\ncommonLabels: { team: vision }\n',
      'k/deployment.yaml': manifest(`${REGISTRY}/e2e/byo:1.0`),
    });
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    expect(images(result.objects)).toEqual([pinned]);
    expect(result.objects[0]?.metadata.labels).toEqual({ team: 'vision' });
    expect(await dryRun(result.objects)).not.toMatch(/violate/);
  });

  it('plain manifests', async () => {
    const config = byoConfig('render: { mode: manifests, manifests: [m] }', {
      'm/deployment.yaml': manifest(`${REGISTRY}/e2e/byo@${OTHER_DIGEST}`),
      'm/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: byo }\nspec: { selector: { app: byo }, ports: [{ port: 80, targetPort: 8080 }] }\n',
    });
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    expect(result.objects.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(images(result.objects)).toEqual([pinned]);
    expect(await dryRun(result.objects)).not.toMatch(/violate/);
  });
});

describe('config values reach the YAML as data', () => {
  const nasty = ['a "quoted": value', 'x: y\nevil: true', '{{ .Release.Name }}', 'it\'s {{ fail "boom" }}', '- item\n---\nkind: Secret'];

  it('annotations, settings and env values with quotes, colons, newlines and {{ }} come out unchanged', async () => {
    const config = configFrom(
      [
        'apiVersion: model-canary/v1',
        'model: { name: inject, version: "1.0.0" }',
        `image: { repository: ${REGISTRY}/e2e/inject, dockerfile: Dockerfile }`,
        'render:',
        '  values:',
        '    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
        `    annotations: ${JSON.stringify(Object.fromEntries(nasty.map((v, i) => [`example.com/note-${i}`, v])))}`,
        `    settings: ${JSON.stringify(Object.fromEntries(nasty.map((v, i) => [`NOTE_${i}`, v])))}`,
        `    env: ${JSON.stringify(nasty.map((v, i) => ({ name: `NOTE_${i}`, value: v })))}`,
        `cluster: { namespace: ${ns} }`,
        'smoke: { enabled: false }',
        '',
      ].join('\n'),
    );
    const { ctx } = stageContext();
    const result = await render(config, built(config), ctx);
    // Same objects, nothing more (no Secret smuggled in by "---"), every annotation the exact string.
    expect(result.objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    for (const object of result.objects) {
      nasty.forEach((v, i) => expect(object.metadata.annotations?.[`example.com/note-${i}`]).toBe(v));
      expect(object.metadata.annotations?.['evil']).toBeUndefined();
    }
    const settings = result.objects.find((o) => o.kind === 'ConfigMap')?.['data'] as Record<string, string>;
    nasty.forEach((v, i) => expect(settings[`NOTE_${i}`]).toBe(v));
    expect(parseObjects(readFileSync(result.output, 'utf8'), 'render.output')).toEqual(result.objects);
    expect(await dryRun(result.objects)).not.toMatch(/violate/);
  });

  it('a name that is not a DNS label fails at render time, with its path', async () => {
    const config = configFrom(
      [
        'apiVersion: model-canary/v1',
        'model: { name: inject, version: "1.0.0" }',
        `image: { repository: ${REGISTRY}/e2e/inject, dockerfile: Dockerfile }`,
        'render:',
        '  values:',
        '    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
        '    serviceAccount: { name: "x\\nkind: Secret" }',
        '    labels: { "team": "a: b" }',
        'smoke: { enabled: false }',
        '',
      ].join('\n'),
    );
    const { ctx } = stageContext();
    const error = await render(config, built(config), ctx).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/at '\/serviceAccount\/name'/);
    expect(String((error as Error).message)).toMatch(/at '\/labels\/team'/);
  });
});

describe("model-canary's chart refuses what would not serve", () => {
  const base = (values: string, extra = ''): Config =>
    configFrom(
      [
        'apiVersion: model-canary/v1',
        'model: { name: strict, version: "1.0.0", framework: sklearn }',
        `image: { repository: ${REGISTRY}/e2e/strict, dockerfile: Dockerfile }`,
        'render:',
        extra,
        `  values: ${values}`,
        `cluster: { namespace: ${ns} }`,
        extra ? 'canary: { strategy: kserve }' : '',
        'smoke: { enabled: false }',
        '',
      ].join('\n'),
    );

  it('fails to render without requests and limits, naming the path', async () => {
    const config = base('{ resources: { requests: { cpu: 100m } } }');
    const error = await render(config, built(config), stageContext().ctx).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /helm template could not render model-canary's chart:[\s\S]*at '\/resources\/requests': missing property 'memory'/,
    );
    // Requests without limits pass the schema (values.yaml's own resources are empty); the chart refuses them.
    const noLimits = base('{ resources: { requests: { cpu: 100m, memory: 128Mi } } }');
    const refused = await render(noLimits, built(noLimits), stageContext().ctx).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(
      /helm template could not render model-canary's chart:[\s\S]*resources needs requests \(cpu, memory\) and limits \(memory at least\): set render\.values\.resources/,
    );
  });

  it('KServe mode with a model format and storage URI runs the serving runtime instead of the image', async () => {
    const config = base(
      '{ resources: { requests: { cpu: 100m, memory: 1Gi }, limits: { memory: 1Gi } }, kserve: { modelFormat: sklearn, storageUri: "s3://models/iris/1.0.0", protocolVersion: v2 } }',
      '  mode: kserve',
    );
    const { objects } = await render(config, built(config), stageContext().ctx);
    const isvc = objects.find((o) => o.kind === 'InferenceService') as KubeObject & { spec: { predictor: Record<string, unknown> } };
    expect(isvc.spec.predictor['containers']).toBeUndefined();
    expect(isvc.spec.predictor['model']).toMatchObject({
      modelFormat: { name: 'sklearn' },
      storageUri: 's3://models/iris/1.0.0',
      protocolVersion: 'v2',
      resources: { limits: { memory: '1Gi' } },
    });
    expect(isvc.spec.predictor['canaryTrafficPercent']).toBeUndefined();
    expect(await dryRun(objects)).not.toMatch(/violate/);
  });

  it('KServe Standard mode with the built image as a model car: storageUri oci://<image by digest>, the deploymentMode annotation', async () => {
    const values =
      '{ resources: { requests: { cpu: 100m, memory: 1Gi }, limits: { memory: 1Gi } }, kserve: { modelFormat: sklearn, modelCar: true, deploymentMode: Standard } }';
    const config = base(values, '  mode: kserve');
    const image = built(config);
    const { objects } = await render(config, image, stageContext().ctx);
    const isvc = objects.find((o) => o.kind === 'InferenceService') as KubeObject & { spec: { predictor: Record<string, unknown> } };
    expect(isvc.metadata.annotations?.['serving.kserve.io/deploymentMode']).toBe('Standard');
    expect(isvc.spec.predictor['model']).toMatchObject({ modelFormat: { name: 'sklearn' }, storageUri: `oci://${image.reference}` });
    const both = base(values.replace('modelCar: true', 'modelCar: true, storageUri: "pvc://m/iris"'), '  mode: kserve');
    const refused = await render(both, built(both), stageContext().ctx).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/kserve\.modelCar and kserve\.storageUri are two ways of naming the model: set one/);
  });
});

describe('command render', () => {
  it('pins the image by the digest the registry gives its tag, writes render.output, and what it writes runs', async () => {
    const tag = `e2e-${Date.now()}`;
    const repository = `${REGISTRY}/e2e/render-command`;
    // The image the cluster test serves: any GET answers 200, so the readiness path is ready.
    const source = `${REGISTRY}/e2e/http-server`;
    const server = await ensureHttpServerImage(source);
    await exec('docker', ['tag', server, `${repository}:${tag}`]);
    await exec('docker', ['push', '-q', `${repository}:${tag}`], { timeoutMs: 300_000 });
    const config = configFrom(
      [
        'apiVersion: model-canary/v1',
        'model: { name: served, version: "1.0.0" }',
        `image: { repository: ${repository}, dockerfile: Dockerfile, tag: ${tag} }`,
        'render:',
        '  values:',
        '    replicas: 1',
        '    resources: { requests: { cpu: 50m, memory: 64Mi }, limits: { memory: 128Mi } }',
        '    preStopDelaySeconds: 1',
        '    terminationGracePeriodSeconds: 5',
        `cluster: { namespace: ${ns} }`,
        'smoke: { protocol: http, port: 8080, http: { path: /predict, readyPath: /ready }, enabled: false }',
        '',
      ].join('\n'),
    );
    const host = new MemoryHost();
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'render', config: path.relative(config.run.workspace, config.run.configPath) },
      {
        workspace: config.run.workspace,
        tempDir: config.run.tempDir,
        searchPath: PINNED_PATH,
      },
    );
    expect(code, host.log).toBe(0);
    const manifest = await fetch(`http://${REGISTRY}/v2/e2e/render-command/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    const digest = manifest.headers.get('docker-content-digest');
    expect(host.outputs?.digest).toBe(digest);
    expect(host.outputs?.image).toBe(`${repository}@${digest}`);
    expect(host.outputs?.report).toBe(config.render.output);
    expect(host.summary).toContain('### Rendered objects');
    expect(host.log).toContain('Deployment/served (track stable, 1 replica(s))');

    // kubectl reads the file as the same data model-canary has.
    const file = readFileSync(config.render.output, 'utf8');
    const printed = (await kubectl(['create', '--dry-run=client', '-o', 'json', '-f', config.render.output])).stdout.trim();
    // kubectl prints one pretty JSON object after another.
    const read = printed.split(/\n}\n(?=\{)/).map((part, i, all) => JSON.parse(i < all.length - 1 ? `${part}\n}` : part) as KubeObject);
    expect(read).toEqual(parseObjects(file, 'render.output'));

    await kubectl(['apply', '--server-side', '--field-manager=model-canary-e2e', '-f', config.render.output]);
    await kubectl(['rollout', 'status', `deployment/served`, '-n', ns, '--timeout=180s'], { timeoutMs: 200_000 });
    const pods = await kubectlJson<{ items: { status: { containerStatuses: { ready: boolean; imageID: string }[] } }[] }>([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'app.kubernetes.io/name=served,track=stable',
    ]);
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0]?.status.containerStatuses[0]?.ready).toBe(true);
    expect(pods.items[0]?.status.containerStatuses[0]?.imageID).toContain(digest ?? 'missing');
  }, 300_000);
});

/** The http-server image of the cluster test, built (from Docker's cache when it can) and pushed. */
async function ensureHttpServerImage(repository: string): Promise<string> {
  return buildAndPush(path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'http-server'), repository.slice(REGISTRY.length + 1), {
    BASE_IMAGE: `${REGISTRY}/model-canary/debian-python:bookworm`,
  });
}

/** A user's chart: the model's image from values (an old tag), an init container pinned to another digest. */
function chartFiles(): Record<string, string> {
  return {
    'chart/Chart.yaml': 'apiVersion: v2\nname: byo-chart\nversion: 0.1.0\n',
    'chart/values.yaml': `image: ${REGISTRY}/e2e/byo:0.9\nreplicas: 1\n`,
    'chart/templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  selector: { matchLabels: { app: {{ .Release.Name }} } }',
      '  template:',
      '    metadata: { labels: { app: {{ .Release.Name }} } }',
      '    spec:',
      `      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }`,
      '      initContainers:',
      `        - name: fetch-model`,
      `          image: ${REGISTRY}/e2e/byo:0.9@${OTHER_DIGEST}`,
      '          command: [fetch]',
      '          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }',
      '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }',
      '      containers:',
      '        - name: server',
      '          image: {{ .Values.image | quote }}',
      '          readinessProbe: { httpGet: { path: /ready, port: 8080 } }',
      '          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
      '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }',
      '        - name: sidecar',
      `          image: busybox-sidecar@${OTHER_DIGEST}`,
      '          readinessProbe: { exec: { command: ["true"] } }',
      '          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }',
      '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }',
      '',
    ].join('\n'),
  };
}

function manifest(image: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: byo }',
    'spec:',
    '  selector: { matchLabels: { app: byo } }',
    '  template:',
    '    metadata: { labels: { app: byo } }',
    '    spec:',
    '      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }',
    '      containers:',
    '        - name: server',
    `          image: ${image}`,
    '          readinessProbe: { httpGet: { path: /ready, port: 8080 } }',
    '          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
    '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }',
    '',
  ].join('\n');
}
