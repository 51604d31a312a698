import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { assertTreeContained, containedFile, writeWorkspaceReport } from '../../src/config/contained.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { ModelCanaryError } from '../../src/errors.js';
import type { Exec, ExecResult } from '../../src/exec/exec.js';
import { prepareBuildContext } from '../../src/image/context.js';
import { buildImage } from '../../src/image/index.js';
import { render } from '../../src/render/index.js';
import { casesFor } from '../../src/smoke/index.js';
import { FAKE_BIN } from '../helpers/fixtures.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { makeWorkspace, removeTempDirs, tempDir, writeFiles } from '../helpers/temp.js';
import { configFrom, DIGEST, stageContext } from '../fixtures/render/context.js';

// Every file read for the user, symlinks followed, stays in the workspace: a symlink in a chart (or any
// folder the run reads) must not hand the runner's kubeconfig to helm. Each way in is run through its stage.

afterAll(removeTempDirs);

const REPO = 'registry.example:5000/team/iris';
const FIX = 'Replace the symlink with the file itself, or keep what it points to inside the repository.';

/** A folder outside every workspace, holding what a run must never read: a stand-in for RUNNER_TEMP's kubeconfig. */
function outside(): { dir: string; kubeconfig: string } {
  const dir = tempDir('model-canary-runner-temp-');
  const kubeconfig = path.join(dir, 'model-canary-kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nusers: [{ name: u, user: { token: s3cr3t } }]\n', { mode: 0o600 });
  return { dir, kubeconfig };
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: iris, namespace: models }
spec:
  template:
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: model-server
          image: "${REPO}:1"
          readinessProbe: { httpGet: { path: /ready, port: http } }
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
`;

const model = (render: string, extra = 'smoke: { enabled: false }'): string =>
  [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0" }',
    `image: { repository: "${REPO}", dockerfile: Dockerfile }`,
    render,
    'cluster: { namespace: models }',
    extra,
    '',
  ].join('\n');

/** An exec that answers the version probes and records (and answers with a Deployment) every other call. */
function fakeExec(): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = async (command, args) => {
    const tool = path.basename(command);
    const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, truncated: false });
    if (args[0] === 'version' || args[0] === '--version')
      return ok(tool === 'kubectl' ? '{"clientVersion":{"gitVersion":"v1.34.4"}}' : tool === 'docker' ? 'Docker version 28.2.2, build x' : 'v3.22.0');
    calls.push([tool, ...args]);
    return ok(deployment);
  };
  return { exec, calls };
}

async function renderWith(config: Config): Promise<{ error: unknown; calls: string[][] }> {
  const { exec, calls } = fakeExec();
  const { ctx } = stageContext({ exec, searchPath: FAKE_BIN });
  const error = await render(config, { reference: `${REPO}@${DIGEST}`, digest: DIGEST }, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, calls };
}

function expectRefusal(error: unknown, message: string | RegExp, fix: string | RegExp = FIX): void {
  expect(error).toBeInstanceOf(ModelCanaryError);
  const e = error as ModelCanaryError;
  expect(e.kind).toBe('user');
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  if (typeof fix === 'string') expect(e.hint).toBe(fix);
  else expect(e.hint).toMatch(fix);
}

describe('render refuses a symlink that leads out of the workspace', () => {
  it('a chart with a template symlinked to the kubeconfig: refused before helm runs', async () => {
    const out = outside();
    const config = configFrom(model('render: { mode: chart, chart: charts/iris }'), {
      files: { 'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 1.0.0\n', 'charts/iris/templates/deployment.yaml': deployment },
    });
    const ws = config.run.workspace;
    symlinkSync(out.kubeconfig, path.join(ws, 'charts/iris/templates/leak.yaml'));
    const { error, calls } = await renderWith(config);
    expectRefusal(
      error,
      `render.chart (charts/iris) holds charts/iris/templates/leak.yaml, a symlink that leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`,
    );
    expect(calls).toEqual([]);
  });

  it('a chart whose symlinked folder (inside the workspace) holds a link out: the walk follows the folder', async () => {
    const out = outside();
    const config = configFrom(model('render: { mode: chart, chart: charts/iris }'), {
      files: { 'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 1.0.0\n', 'shared/ok.yaml': deployment },
    });
    const ws = config.run.workspace;
    symlinkSync(path.join(ws, 'shared'), path.join(ws, 'charts/iris/templates'));
    symlinkSync(path.relative(path.join(ws, 'shared'), out.kubeconfig), path.join(ws, 'shared/leak.yaml'));
    const { error, calls } = await renderWith(config);
    expectRefusal(
      error,
      `render.chart (charts/iris) holds charts/iris/templates/leak.yaml, a symlink that leads outside the workspace (${ws}): it points to ${path.relative(path.join(ws, 'shared'), out.kubeconfig)}, which is ${out.kubeconfig}.`,
    );
    expect(calls).toEqual([]);
  });

  it('a dangling symlink out of the chart is refused too: what it names may appear later', async () => {
    const config = configFrom(model('render: { mode: chart, chart: charts/iris }'), {
      files: { 'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 1.0.0\n' },
    });
    symlinkSync('/nonexistent/model-canary/kubeconfig', path.join(config.run.workspace, 'charts/iris/values.yaml'));
    const { error } = await renderWith(config);
    expectRefusal(
      error,
      /holds charts\/iris\/values\.yaml, a symlink that leads outside the workspace .*: it points to \/nonexistent\/model-canary\/kubeconfig\.$/,
    );
  });

  it('a manifests folder with a YAML file symlinked out: refused, nothing read', async () => {
    const out = outside();
    const config = configFrom(model('render: { mode: manifests, manifests: [deploy] }'), { files: { 'deploy/deployment.yaml': deployment } });
    const ws = config.run.workspace;
    symlinkSync(out.kubeconfig, path.join(ws, 'deploy/secret.yaml'));
    const { error } = await renderWith(config);
    expectRefusal(error, `render.manifests[0]: deploy/secret.yaml leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`);
  });

  it('a manifest file swapped for a symlink out after the config was loaded', async () => {
    const out = outside();
    const config = configFrom(model('render: { mode: manifests, manifests: [d.yaml] }'), { files: { 'd.yaml': deployment } });
    const ws = config.run.workspace;
    rmSync(path.join(ws, 'd.yaml'));
    symlinkSync(out.kubeconfig, path.join(ws, 'd.yaml'));
    const { error } = await renderWith(config);
    expectRefusal(error, `render.manifests[0]: d.yaml leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`);
  });

  it('a kustomize folder with a resource symlinked out: refused before kubectl kustomize runs', async () => {
    const out = outside();
    const config = configFrom(model('render: { mode: kustomize, kustomize: k }'), { files: { 'k/kustomization.yaml': 'resources: [leak.yaml]\n' } });
    const ws = config.run.workspace;
    mkdirSync(path.join(ws, 'k/base'));
    symlinkSync(out.kubeconfig, path.join(ws, 'k/base/leak.yaml'));
    const { error, calls } = await renderWith(config);
    expectRefusal(error, `render.kustomize (k) holds k/base/leak.yaml, a symlink that leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`);
    expect(calls).toEqual([]);
  });

  it('kustomize: the bases an overlay names are walked too, and a base outside the workspace is refused', async () => {
    const out = outside();
    const overlay = configFrom(model('render: { mode: kustomize, kustomize: deploy/overlays/prod }'), {
      files: {
        'deploy/overlays/prod/kustomization.yaml': 'resources: [../../base, https://github.com/org/repo//deploy?ref=v1]\n',
        'deploy/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
        'deploy/base/deployment.yaml': deployment,
      },
    });
    const ws = overlay.run.workspace;
    expect((await renderWith(overlay)).error).toBeUndefined();
    symlinkSync(out.kubeconfig, path.join(ws, 'deploy/base/config.env'));
    const { error, calls } = await renderWith(overlay);
    expectRefusal(
      error,
      `render.kustomize (deploy/base) holds deploy/base/config.env, a symlink that leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`,
    );
    expect(calls).toEqual([]);

    writeFileSync(path.join(out.dir, 'kustomization.yaml'), 'resources: [model-canary-kubeconfig]\n');
    const remote = configFrom(model('render: { mode: kustomize, kustomize: k }'), { files: { 'k/kustomization.yaml': `resources: [${out.dir}]\n` } });
    const refused = (await renderWith(remote)).error as ModelCanaryError;
    expect(refused).toMatchObject({
      kind: 'user',
      message: `render.kustomize: ${out.dir} is outside the workspace (${remote.run.workspace}).`,
      hint: 'Keep what it names inside the repository.',
    });
  });

  it('a values file that is a symlink out: refused by the loader, and by render when it is swapped in later', async () => {
    const out = outside();
    const config = configFrom(model('render: { valuesFiles: [prod.yaml] }'), { files: { 'prod.yaml': 'replicas: 3\n' } });
    const ws = config.run.workspace;
    rmSync(path.join(ws, 'prod.yaml'));
    symlinkSync(out.kubeconfig, path.join(ws, 'prod.yaml'));
    const { error, calls } = await renderWith(config);
    expectRefusal(error, `render.valuesFiles[0]: prod.yaml leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`);
    expect(calls).toEqual([]);

    const linkedAtLoad = makeWorkspace({ Dockerfile: 'FROM scratch\n', 'model-canary.yaml': model('render: { valuesFiles: [prod.yaml] }') });
    symlinkSync(out.kubeconfig, path.join(linkedAtLoad, 'prod.yaml'));
    expect(() => loadConfig({ ...DEFAULT_INPUTS, command: 'render' }, { workspace: linkedAtLoad, tempDir: tempDir('render-tmp-'), searchPath: '' })).toThrow(
      /render\.valuesFiles\[0\]: "prod\.yaml" is a symlink that leads outside the workspace/,
    );
  });

  it('keeps symlinks that stay inside the workspace working: chart, values file and manifests', async () => {
    const chart = configFrom(model('render: { mode: chart, chart: charts/iris, valuesFiles: [prod.yaml] }'), {
      files: {
        'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 1.0.0\n',
        'shared/deployment.yaml': deployment,
        'values/prod.yaml': 'replicas: 3\n',
        'prod.yaml': '',
      },
    });
    const ws = chart.run.workspace;
    rmSync(path.join(ws, 'prod.yaml'));
    mkdirSync(path.join(ws, 'charts/iris/templates'));
    symlinkSync('../../../shared/deployment.yaml', path.join(ws, 'charts/iris/templates/deployment.yaml'));
    symlinkSync(path.join(ws, 'shared'), path.join(ws, 'charts/iris/templates/shared'));
    symlinkSync('values/prod.yaml', path.join(ws, 'prod.yaml'));
    const rendered = await renderWith(chart);
    expect(rendered.error).toBeUndefined();
    expect(rendered.calls[0]?.slice(0, 3)).toEqual(['helm', 'template', 'iris']);

    const manifests = configFrom(model('render: { mode: manifests, manifests: [deploy] }'), {
      files: { 'real/deployment.yaml': deployment, 'deploy/.keep': '' },
    });
    symlinkSync('../real/deployment.yaml', path.join(manifests.run.workspace, 'deploy/deployment.yaml'));
    expect((await renderWith(manifests)).error).toBeUndefined();
  });
});

describe('smoke cases', () => {
  const smoke = 'smoke: { cases: cases.yaml, protocol: http, http: { path: /predict } }';
  const cases = '- name: one\n  inputs: [[1, 2]]\n';

  it('a cases file that is a symlink out (swapped in after the config was loaded): the smoke stage refuses it', () => {
    const out = outside();
    const config = configFrom(model('render: {}', smoke), { files: { 'cases.yaml': cases } });
    expect(casesFor(config).map((c) => c.name)).toEqual(['one']);
    const ws = config.run.workspace;
    rmSync(path.join(ws, 'cases.yaml'));
    symlinkSync(out.kubeconfig, path.join(ws, 'cases.yaml'));
    let error: unknown;
    try {
      casesFor(config);
    } catch (e) {
      error = e;
    }
    expectRefusal(error, `smoke.cases: cases.yaml leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`);
  });

  it('a cases file symlinked inside the workspace is read', () => {
    const config = configFrom(model('render: {}', smoke), { files: { 'smoke/cases.yaml': cases, 'cases.yaml': cases } });
    rmSync(path.join(config.run.workspace, 'cases.yaml'));
    symlinkSync('smoke/cases.yaml', path.join(config.run.workspace, 'cases.yaml'));
    expect(casesFor(config).map((c) => c.name)).toEqual(['one']);
  });
});

describe('the Dockerfile build context', () => {
  async function build(config: Config): Promise<{ error: unknown; calls: string[][] }> {
    const { exec, calls } = fakeExec();
    const { ctx } = stageContext({ exec, searchPath: FAKE_BIN });
    const error = await buildImage(config, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, calls };
  }

  it('a context holding a symlink out: the build stage refuses before docker build', async () => {
    const out = outside();
    const config = configFrom(model('render: {}'), { command: 'build', files: { 'app/serve.py': 'print(1)\n' } });
    const ws = config.run.workspace;
    symlinkSync(out.kubeconfig, path.join(ws, 'app/kubeconfig'));
    const { error, calls } = await build(config);
    // The Docker context can also leave the path out of the build.
    expectRefusal(
      error,
      `image.context (.) holds app/kubeconfig, a symlink that leads outside the workspace (${ws}): it points to ${out.kubeconfig}.`,
      /or leave it out of the build in \.dockerignore \(a local virtualenv such as \.venv\/ is the usual case\)\.$/,
    );
    expect(calls.filter((c) => c[1] === 'build' || c[2] === 'build')).toEqual([]);
  });

  it('what .dockerignore leaves out of the build is not checked (a local .venv), and a ! line brings a file back', async () => {
    const config = configFrom(model('render: {}'), {
      command: 'build',
      files: { '.dockerignore': '# local\n/.venv/\nlinks/*\n!links/keep\n', '.venv/bin/.keep': '' },
    });
    const ws = config.run.workspace;
    symlinkSync('/usr/bin/python3', path.join(ws, '.venv/bin/python'));
    mkdirSync(path.join(ws, 'links'));
    symlinkSync('/etc/hostname', path.join(ws, 'links/other'));
    await expect(prepareBuildContext(config)).resolves.toMatchObject({ context: ws });
    symlinkSync('/etc/hostname', path.join(ws, 'links/keep'));
    await expect(prepareBuildContext(config)).rejects.toThrow(/holds links\/keep, a symlink that leads outside the workspace/);
  });

  it('Dockerfile.dockerignore beside the Dockerfile takes the place of .dockerignore', async () => {
    const config = configFrom(model('render: {}'), {
      command: 'build',
      files: { '.dockerignore': 'nothing\n', 'Dockerfile.dockerignore': '**/*.link\n', 'a/b/.keep': '' },
    });
    symlinkSync('/etc/hostname', path.join(config.run.workspace, 'a/b/host.link'));
    await expect(prepareBuildContext(config)).resolves.toMatchObject({ context: config.run.workspace });
  });

  it('a context with a symlink inside the workspace builds', async () => {
    const config = configFrom(model('render: {}'), { command: 'build', files: { 'app/serve.py': 'print(1)\n' } });
    symlinkSync('serve.py', path.join(config.run.workspace, 'app/main.py'));
    const { error } = await build(config);
    // Past the context check: the fake docker has no image to inspect.
    expect(String(error)).not.toMatch(/symlink/);
  });
});

describe('containedFile and assertTreeContained', () => {
  it('give the real path of a file inside, and refuse a relative symlink that climbs out', () => {
    const ws = makeWorkspace({ 'a/b.yaml': 'x: 1\n' });
    expect(containedFile(ws, 'a/b.yaml', 'x')).toBe(path.join(ws, 'a/b.yaml'));
    symlinkSync('../../..', path.join(ws, 'a/up'));
    expect(() => assertTreeContained(ws, 'a', 'render.chart')).toThrow(
      /render\.chart \(a\) holds a\/up, a symlink that leads outside the workspace .*: it points to \.\.\/\.\.\/\.\., which is \/\.$/,
    );
  });

  it('survive a symlink loop inside the workspace', () => {
    const ws = makeWorkspace({ 'c/Chart.yaml': 'name: c\n' });
    symlinkSync('..', path.join(ws, 'c/loop'));
    expect(() => assertTreeContained(ws, 'c', 'render.chart')).not.toThrow();
  });
});

describe('the plan report (.model-canary/plan.json)', () => {
  // render.output elsewhere: the loader already refuses a render.output under a symlink that leads out.
  const planModel = [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0" }',
    `image: { repository: "${REPO}", dockerfile: Dockerfile, tag: v1 }`,
    'render: { output: out/rendered.yaml }',
    'smoke: { enabled: false }',
    '',
  ].join('\n');

  async function plan(ws: string): Promise<{ code: number; host: MemoryHost }> {
    const host = new MemoryHost();
    const code = await runEntry(host, { ...DEFAULT_INPUTS, command: 'plan' }, { workspace: ws, tempDir: tempDir('plan-tmp-'), searchPath: FAKE_BIN });
    return { code, host };
  }

  it('is written under the workspace', async () => {
    const ws = makeWorkspace({ Dockerfile: 'FROM scratch\n', 'model-canary.yaml': planModel });
    const { code, host } = await plan(ws);
    expect(code, host.log).toBe(0);
    expect(JSON.parse(readFileSync(path.join(ws, '.model-canary', 'plan.json'), 'utf8'))).toMatchObject({ model: { name: 'iris' } });
  });

  it('refuses a .model-canary that is a symlink out of the workspace, and writes nothing there', async () => {
    const elsewhere = tempDir('model-canary-elsewhere-');
    const ws = makeWorkspace({ Dockerfile: 'FROM scratch\n', 'model-canary.yaml': planModel });
    symlinkSync(elsewhere, path.join(ws, '.model-canary'));
    const { code, host } = await plan(ws);
    expect(code).toBe(1);
    expect(host.log).toContain(
      `.model-canary in the workspace (${ws}) is a symlink (it points to ${elsewhere}); model-canary writes its reports there and does not follow a symlink.`,
    );
    expect(existsSync(path.join(elsewhere, 'plan.json'))).toBe(false);
  });

  it('replaces a plan.json symlink instead of writing through it', () => {
    const target = path.join(tempDir('model-canary-elsewhere-'), 'victim');
    writeFileSync(target, 'untouched\n');
    const ws = makeWorkspace({ '.model-canary/.keep': '' });
    symlinkSync(target, path.join(ws, '.model-canary', 'plan.json'));
    const file = writeWorkspaceReport(ws, 'plan.json', '{}\n');
    expect(file).toBe(path.join(ws, '.model-canary', 'plan.json'));
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });

  it('refuses a .model-canary that is a file', () => {
    const ws = makeWorkspace({});
    writeFiles(ws, { '.model-canary': 'not a folder' });
    expect(() => writeWorkspaceReport(ws, 'plan.json', '{}\n')).toThrow(/\.model-canary in the workspace .* is not a folder/);
  });
});
