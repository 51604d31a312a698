import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { ModelCanaryError } from '../../src/errors.js';
import type { Exec, ExecResult } from '../../src/exec/exec.js';
import { chartPath, policyFailure, render, renderObjects, renderSection } from '../../src/render/index.js';
import { parseObjects } from '../../src/render/objects.js';
import { FAKE_BIN } from '../helpers/fixtures.js';
import { removeTempDirs } from '../helpers/temp.js';
import { configFrom, DIGEST, OTHER_DIGEST, stageContext } from '../fixtures/render/context.js';

// The render stage in-process with the process edge faked: helm and kubectl are answered by a fake exec
// (the real ones run in test/e2e/render.test.ts).

afterAll(removeTempDirs);

const REPO = 'registry.example:5000/team/iris';
const PINNED = `${REPO}@${DIGEST}`;

function deploymentYaml(image: string, extra = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: iris, namespace: models, labels: { track: stable } }',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    spec:',
    '      securityContext: { runAsNonRoot: true, runAsUser: 10001 }',
    '      containers:',
    '        - name: model-server',
    `          image: "${image}"`,
    '          readinessProbe: { httpGet: { path: /ready, port: http } }',
    extra || '          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
    '',
  ].join('\n');
}
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: iris, namespace: models }\nspec: { ports: [{ port: 80 }] }\n';

interface Call {
  command: string;
  args: readonly string[];
  values: unknown[];
}

/** Answers the version probes of helm and kubectl, and every other call with answer(command, args). */
function fakeExec(answer: (tool: string, args: readonly string[]) => Partial<ExecResult>): { exec: Exec; calls: Call[] } {
  const calls: Call[] = [];
  const exec: Exec = async (command, args) => {
    const tool = path.basename(command);
    const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, truncated: false });
    if (args[0] === 'version') return ok(tool === 'kubectl' ? '{"clientVersion":{"gitVersion":"v1.34.4"}}' : 'v3.22.0');
    const values = args.flatMap((a, i) => (args[i - 1] === '--values' && a.endsWith('.json') ? [JSON.parse(readFileSync(a, 'utf8')) as unknown] : []));
    calls.push({ command: tool, args, values });
    return { ...ok(''), ...answer(tool, args) };
  };
  return { exec, calls };
}

const model = (render: string, extra = ''): string =>
  [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0" }',
    `image: { repository: "${REPO}", dockerfile: Dockerfile }`,
    render,
    'cluster: { namespace: models }',
    'smoke: { enabled: false }',
    extra,
    '',
  ].join('\n');

const run = (config: Config, exec: Exec) => {
  const { ctx, host } = stageContext({ exec, searchPath: FAKE_BIN });
  return { promise: render(config, { reference: PINNED, digest: DIGEST }, ctx), host, ctx };
};

describe("render with model-canary's chart", () => {
  it('runs helm template on the chart with the computed values, pins the image, writes render.output and logs a summary', async () => {
    const config = configFrom(model('render: { values: { replicas: 2 } }'));
    const { exec, calls } = fakeExec(() => ({ stdout: `${SERVICE}---\n${deploymentYaml(`${REPO}@${DIGEST}`)}` }));
    const { promise, host } = run(config, exec);
    const result = await promise;

    expect(calls.map((c) => c.command)).toEqual(['helm']);
    expect(calls[0]?.args.slice(0, 6)).toEqual(['template', 'iris', chartPath(), '--namespace', 'models', '--skip-tests']);
    expect(calls[0]?.values).toEqual([
      { track: 'stable', serving: { readinessPath: '/v2/models/iris/ready', livenessPath: '/v2/health/live' } },
      {
        replicas: 2,
        mode: 'deployment',
        model: { name: 'iris', version: '1.0.0', framework: 'custom' },
        image: { repository: REPO, digest: DIGEST },
        serving: { port: 8080, protocol: 'open-inference-v2' },
      },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.image).toBe(PINNED);
    expect(result.output).toBe(path.join(config.run.workspace, '.model-canary', 'rendered.yaml'));
    const file = readFileSync(result.output, 'utf8');
    expect(file.split('\n').slice(0, 2)).toEqual([
      "# Rendered by model-canary from model-canary's chart: 2 objects for model iris 1.0.0.",
      `# Image: ${PINNED}`,
    ]);
    expect(parseObjects(file, 'render.output')).toEqual(result.objects);
    expect(host.logger.lines).toEqual(
      expect.arrayContaining([
        "Rendered 2 objects from model-canary's chart into .model-canary/rendered.yaml:",
        '  Service/iris (port 80)',
        '  Deployment/iris (track stable, 2 replica(s))',
      ]),
    );
    const section = renderSection(result, config);
    expect(section).toContain('### Rendered objects');
    expect(section).toContain('| Deployment | iris | track stable, 2 replica(s) |');
  });

  it('returns policy findings, writes the file anyway, and fails with every error listed', async () => {
    const config = configFrom(model('render: { policy: { latestTag: warn } }'));
    const { exec } = fakeExec(() => ({
      stdout:
        deploymentYaml(PINNED, '          env: [{ name: API_KEY, value: abc }]') +
        `        - { name: sidecar, image: "busybox:latest", readinessProbe: {}, resources: { requests: { cpu: 1m, memory: 1Mi }, limits: { memory: 1Mi } } }\n`,
    }));
    const { promise, host } = run(config, exec);
    const result = await promise;
    expect(result.findings.map((f) => `${f.level} ${f.rule} ${f.field}`)).toEqual([
      'error missingResources spec.template.spec.containers[0].resources',
      'error unpinnedImage spec.template.spec.containers[1].image',
      'warn latestTag spec.template.spec.containers[1].image',
      'error inlineSecrets spec.template.spec.containers[0].env[0].value',
    ]);
    expect(readFileSync(result.output, 'utf8')).toContain('API_KEY');
    const error = policyFailure(result, config);
    expect(error?.kind).toBe('user');
    expect(error?.message).toMatch(
      /^The rendered objects break 3 policy rule\(s\):\n {2}- missingResources: Deployment\/iris spec.template.spec.containers\[0\].resources: container "model-server" has no/,
    );
    expect(error?.hint).toContain('The objects are in .model-canary/rendered.yaml');
    expect(host.log).toContain(
      'warning: policy latestTag: Deployment/iris spec.template.spec.containers[1].image: container "sidecar" image "busybox:latest" uses the latest tag',
    );
    expect(renderSection(result, config)).toContain('| error | missingResources | Deployment/iris | `spec.template.spec.containers[0].resources` |');

    const again = fakeExec(() => ({ stdout: deploymentYaml(PINNED, '          resources: {}') }));
    await expect(renderObjects(config, { reference: PINNED, digest: DIGEST }, stageContext({ exec: again.exec, searchPath: FAKE_BIN }).ctx)).rejects.toThrow(
      /missingResources/,
    );
  });

  it('warns about helm hooks (applied as ordinary objects) and objects in another namespace', async () => {
    const config = configFrom(model(''));
    const hook = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: migrate, namespace: other, annotations: { helm.sh/hook: pre-install } }\n';
    const { exec } = fakeExec(() => ({ stdout: hook }));
    const { promise, host } = run(config, exec);
    await promise;
    expect(host.log).toContain('warning: ConfigMap/migrate is a helm hook (pre-install); model-canary applies it as an ordinary object.');
    expect(host.log).toContain('warning: ConfigMap/migrate names namespace other, not cluster.namespace models.');
  });
});

describe("render with the user's own deployment", () => {
  it("chart: helm gets the user's chart and values only, and the image is set on the objects", async () => {
    const config = configFrom(model('render: { mode: chart, chart: charts/iris, values: { replicas: 4 }, valuesFiles: [prod.yaml] }'), {
      files: { 'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 1.0.0\n', 'prod.yaml': 'replicas: 3\n' },
    });
    const { exec, calls } = fakeExec(() => ({ stdout: deploymentYaml(`${REPO}:0.9`) }));
    const result = await run(config, exec).promise;
    expect(calls[0]?.args).toEqual([
      'template',
      'iris',
      path.join(config.run.workspace, 'charts/iris'),
      '--namespace',
      'models',
      '--skip-tests',
      '--values',
      path.join(config.run.workspace, 'prod.yaml'),
      '--values',
      expect.stringMatching(/\.json$/),
    ]);
    expect(calls[0]?.values).toEqual([{ replicas: 4 }]);
    expect(result.injected).toEqual(['Deployment/iris spec.template.spec.containers[0].image']);
    expect(result.source).toBe('your chart charts/iris');
  });

  it('kustomize: kubectl kustomize builds the directory', async () => {
    const config = configFrom(model('render: { mode: kustomize, kustomize: deploy/overlays/prod }'), {
      files: { 'deploy/overlays/prod/kustomization.yaml': 'resources: []\n' },
    });
    const { exec, calls } = fakeExec(() => ({ stdout: deploymentYaml(`${REPO}:1`) }));
    const result = await run(config, exec).promise;
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([['kubectl', 'kustomize', path.join(config.run.workspace, 'deploy/overlays/prod')]]);
    expect(result.image).toBe(PINNED);
    expect(result.source).toBe('your kustomize directory deploy/overlays/prod');
  });

  it("kustomize: a build error is the user's to fix, with kubectl's words", async () => {
    const config = configFrom(model('render: { mode: kustomize, kustomize: k }'), { files: { 'k/kustomization.yaml': 'resources: [missing.yaml]\n' } });
    const { exec } = fakeExec(() => ({ exitCode: 1, stderr: 'error: accumulating resources: missing.yaml: no such file\n' }));
    const error = await run(config, exec).promise.catch((e: unknown) => e);
    expect((error as ModelCanaryError).kind).toBe('user');
    expect((error as ModelCanaryError).message).toBe('kubectl kustomize could not build k:\n  error: accumulating resources: missing.yaml: no such file');
  });

  it('manifests: files and folders are read in order, with no process started', async () => {
    const config = configFrom(model('render: { mode: manifests, manifests: [deploy, extra/service.json] }'), {
      files: {
        'deploy/b-deployment.yaml': deploymentYaml(`${REPO}@${OTHER_DIGEST}`),
        'deploy/a-sa.yml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: iris }\n',
        'deploy/README.md': 'not a manifest',
        'extra/service.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'iris' }, spec: { ports: [{ port: 80 }] } }),
      },
    });
    const { exec, calls } = fakeExec(() => ({}));
    const result = await run(config, exec).promise;
    expect(calls).toEqual([]);
    expect(result.objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service']);
    expect(result.injected).toEqual(['Deployment/iris spec.template.spec.containers[0].image']);
    expect(readFileSync(result.output, 'utf8')).toContain(PINNED);
  });

  it("fails when no container runs the model's image, listing the images it found", async () => {
    const config = configFrom(model('render: { mode: manifests, manifests: [d.yaml] }'), {
      files: { 'd.yaml': deploymentYaml('registry.example:5000/team/other:1') },
    });
    const error = await run(config, fakeExec(() => ({})).exec).promise.catch((e: unknown) => e);
    expect((error as ModelCanaryError).kind).toBe('user');
    expect((error as ModelCanaryError).message).toBe(
      `No container in your manifests d.yaml runs the model's image ${REPO}; the images are:\n  - Deployment/iris spec.template.spec.containers[0].image: registry.example:5000/team/other:1.`,
    );
    expect((error as ModelCanaryError).hint).toBe(`Use ${REPO} (any tag) as the model server's image; model-canary sets its digest.`);
  });
});
