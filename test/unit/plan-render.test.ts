import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS, type RawInputs } from '../../src/config/inputs.js';
import { FAKE_BIN } from '../helpers/fixtures.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { makeWorkspace, removeTempDirs, tempDir } from '../helpers/temp.js';

// plan renders the objects as the render stage will (fake tools at the process edge), so a config that
// render would refuse is refused by plan first, with the same message.

afterAll(removeTempDirs);

// A registry port nothing listens on: command render's digest lookup fails at once and it renders with the tag.
const REPO = '127.0.0.1:9/team/iris';
const MODEL = [
  'apiVersion: model-canary/v1',
  'model: { name: iris, version: "1.0.0" }',
  `image: { repository: "${REPO}", dockerfile: Dockerfile, tag: v1 }`,
  'smoke: { enabled: false }',
  '',
].join('\n');

/** A helm that prints its version, and for `helm template` the text given on stdout or, failing, on stderr. */
function fakeHelm(template: { stdout?: string; stderr?: string }): string {
  const bin = tempDir('fake-helm-');
  const out = path.join(bin, 'out.yaml');
  const err = path.join(bin, 'err.txt');
  writeFileSync(out, template.stdout ?? '');
  writeFileSync(err, template.stderr ?? '');
  const failing = template.stderr !== undefined ? `cat '${err}' >&2; exit 1` : `cat '${out}'`;
  writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\ncase "$1" in\n  template) ${failing} ;;\n  *) echo v3.22.0 ;;\nesac\n`);
  chmodSync(path.join(bin, 'helm'), 0o755);
  for (const tool of ['docker', 'kubectl', 'trivy']) writeFileSync(path.join(bin, tool), readFileSync(path.join(FAKE_BIN, tool)), { mode: 0o755 });
  return bin;
}

async function run(command: string, searchPath: string, model = MODEL, raw: Partial<RawInputs> = {}): Promise<{ code: number; host: MemoryHost; ws: string }> {
  const ws = makeWorkspace({ Dockerfile: 'FROM scratch\n', 'model-canary.yaml': model });
  const host = new MemoryHost();
  const code = await runEntry(host, { ...DEFAULT_INPUTS, command, ...raw }, { workspace: ws, tempDir: tempDir('plan-render-tmp-'), searchPath });
  return { code, host, ws };
}

/** The error lines an entry point logged. */
const errors = (host: MemoryHost): string[] => host.logger.lines.filter((l) => l.startsWith('error: '));

const deployment = (resources: string): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: iris }',
    'spec:',
    '  template:',
    '    spec:',
    '      securityContext: { runAsNonRoot: true }',
    '      containers:',
    `        - { name: model-server, image: "${REPO}:v1", readinessProbe: {}, resources: ${resources} }`,
    '',
  ].join('\n');

describe('plan checks what render will check', () => {
  it('passes, saying what it rendered, when render would pass', async () => {
    const { code, host, ws } = await run('plan', fakeHelm({ stdout: deployment('{ requests: { cpu: 1, memory: 1Gi }, limits: { memory: 1Gi } }') }));
    expect(code, host.log).toBe(0);
    expect(host.log).toContain("Render check: 1 object(s) from model-canary's chart; policy passed; written to .model-canary/rendered.yaml");
    expect(JSON.parse(readFileSync(path.join(ws, '.model-canary', 'plan.json'), 'utf8'))).toMatchObject({ render: { checked: true } });
    expect(existsSync(path.join(ws, '.model-canary', 'rendered.yaml'))).toBe(true);
  });

  it("refuses values the chart's values.schema.json refuses, with the message render gives", async () => {
    const stderr =
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmodel-canary:\n- at '/replicas': minimum: got -1, want 0\n";
    const helm = fakeHelm({ stderr });
    const plan = await run('plan', helm);
    const render = await run('render', helm);
    expect(plan.code).toBe(1);
    expect(render.code).toBe(1);
    const [planError] = errors(plan.host);
    expect(planError).toContain(
      "helm template could not render model-canary's chart:\n  Error: values don't meet the specifications of the schema(s) in the following chart(s):\n  model-canary:\n  - at '/replicas': minimum: got -1, want 0",
    );
    expect(planError).toBe(errors(render.host)[0]);
  });

  it('refuses objects that break a policy rule, as render would', async () => {
    const { code, host } = await run('plan', fakeHelm({ stdout: deployment('{}') }));
    expect(code).toBe(1);
    expect(errors(host)).toEqual([
      'error: The rendered objects break 1 policy rule(s):\n' +
        '  - missingResources: Deployment/iris spec.template.spec.containers[0].resources: container "model-server" has no requests.cpu, requests.memory, limits.memory; ' +
        "set requests (cpu, memory) and a memory limit (model-canary's chart: render.values.resources) so the scheduler reserves what the model needs and a leak cannot starve the node.\n" +
        'Fix each as it says, or set the rule to warn or off in render.policy. The objects are in .model-canary/rendered.yaml.',
    ]);
  });

  it('refuses replicas: -1 from --set before anything runs, with the message render gives', async () => {
    const helm = fakeHelm({ stdout: '' });
    const plan = await run('plan', helm, MODEL, { set: ['render.values.replicas=-1'] });
    const render = await run('render', helm, MODEL, { set: ['render.values.replicas=-1'] });
    expect(plan.code).toBe(1);
    expect(errors(plan.host)[0]).toContain('render.values.replicas: -1 is under 0; run 0 to 1000 stable pods; above that, use autoscaling');
    expect(errors(plan.host)[0]).toBe(errors(render.host)[0]);
  });

  it('says it did not render when helm is not on PATH here (a release installs it)', async () => {
    const bin = fakeHelm({ stdout: '' });
    const noHelm = tempDir('no-helm-');
    for (const tool of ['docker', 'kubectl', 'trivy']) writeFileSync(path.join(noHelm, tool), readFileSync(path.join(bin, tool)), { mode: 0o755 });
    const { host } = await run('plan', noHelm);
    expect(host.log).toContain(
      'Render check: not checked: helm is not on PATH here (a release installs it); run plan with helm on PATH to check the objects before a release',
    );
  });
});
