import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelCanaryError } from '../../src/errors.js';
import type { Exec, ExecOptions, ExecResult } from '../../src/exec/exec.js';
import { helmFailure, helmTemplate, helmTemplateArgs, type HelmTemplateRequest } from '../../src/render/helm.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const request = (extra: Partial<HelmTemplateRequest> = {}): HelmTemplateRequest => ({
  release: 'iris',
  chart: '/charts/model-canary',
  namespace: 'models',
  valuesFiles: ['/ws/values-a.yaml', '/ws/values-b.yaml'],
  tempDir: tempDir('helm-tmp-'),
  describe: "model-canary's chart",
  valuesHint: 'Fix render.values.',
  ...extra,
});

interface Call {
  command: string;
  args: readonly string[];
  options: ExecOptions | undefined;
  files: Record<string, { text: string; mode: number }>;
}

/** A fake exec that records each call (and the values files as they are during it) and answers with result. */
function fakeExec(result: Partial<ExecResult>): { exec: Exec; calls: Call[] } {
  const calls: Call[] = [];
  const exec: Exec = async (command, args, options) => {
    const files: Call['files'] = {};
    args.forEach((a, i) => {
      if (args[i - 1] === '--values' && existsSync(a)) files[a] = { text: readFileSync(a, 'utf8'), mode: statSync(a).mode & 0o777 };
    });
    calls.push({ command, args, options, files });
    return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, truncated: false, ...result };
  };
  return { exec, calls };
}

describe('helmTemplateArgs', () => {
  it("passes the defaults first, then the user's values files, then the values model-canary computed", () => {
    expect(helmTemplateArgs(request(), { defaults: '/tmp/d.json', values: '/tmp/v.json' })).toEqual([
      'template',
      'iris',
      '/charts/model-canary',
      '--namespace',
      'models',
      '--skip-tests',
      '--values',
      '/tmp/d.json',
      '--values',
      '/ws/values-a.yaml',
      '--values',
      '/ws/values-b.yaml',
      '--values',
      '/tmp/v.json',
    ]);
  });

  it('gives an oci:// chart its version, and plain HTTP only for a registry on this machine', () => {
    const oci = (chart: string): string[] => helmTemplateArgs(request({ chart, version: '1.2.3', valuesFiles: [] }), {});
    expect(oci('oci://127.0.0.1:5000/charts/iris')).toEqual([
      'template',
      'iris',
      'oci://127.0.0.1:5000/charts/iris',
      '--namespace',
      'models',
      '--skip-tests',
      '--version',
      '1.2.3',
      '--plain-http',
    ]);
    expect(oci('oci://localhost:5000/charts/iris')).toContain('--plain-http');
    expect(oci('oci://registry.example/charts/iris')).not.toContain('--plain-http');
    expect(oci('oci://127.0.0.1.example/charts/iris')).not.toContain('--plain-http');
  });

  it('tells helm what the cluster serves, so the chart renders its PodMonitor where one can be applied', () => {
    const args = helmTemplateArgs(request({ valuesFiles: [], apiVersions: ['monitoring.coreos.com/v1/PodMonitor'] }), {});
    expect(args.slice(-2)).toEqual(['--api-versions', 'monitoring.coreos.com/v1/PodMonitor']);
  });
});

describe('helmTemplate', () => {
  const rendered = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: iris }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: iris }\n';

  it('runs helm through exec, with the values as JSON files readable only by us, removed afterwards', async () => {
    const { exec, calls } = fakeExec({ stdout: rendered });
    const values = { annotations: { note: 'a: b\n{{ x }}' }, image: { repository: 'r', digest: 'sha256:x' } };
    const objects = await helmTemplate(exec, '/bin/helm', request({ defaults: { track: 'stable' }, values }));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/iris', 'Service/iris']);
    expect(calls).toHaveLength(1);
    const files = Object.entries(calls[0]?.files ?? {});
    expect(files.map(([, f]) => JSON.parse(f.text) as unknown)).toEqual([{ track: 'stable' }, values]);
    expect(files.map(([, f]) => f.mode)).toEqual([0o600, 0o600]);
    for (const [file] of files) expect(existsSync(file)).toBe(false);
    expect(calls[0]?.options).toMatchObject({ allowFailure: true });
  });

  it('removes the values files when helm fails, and says what helm said', async () => {
    const stderr =
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmodel-canary:\n- at '/resources/requests': missing property 'memory'\n\nUse --debug flag to render out invalid YAML\n";
    const { exec, calls } = fakeExec({ exitCode: 1, stderr });
    const error = await helmTemplate(exec, '/bin/helm', request({ values: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect((error as ModelCanaryError).kind).toBe('user');
    expect((error as ModelCanaryError).message).toContain("- at '/resources/requests': missing property 'memory'");
    expect((error as ModelCanaryError).message).not.toContain('--debug');
    expect((error as ModelCanaryError).hint).toBe('Fix render.values.');
    for (const file of Object.keys(calls[0]?.files ?? {})) expect(existsSync(file)).toBe(false);
  });

  it('passes no values file when there are no values', async () => {
    const { exec, calls } = fakeExec({ stdout: rendered });
    await helmTemplate(exec, '/bin/helm', request());
    expect(calls[0]?.args.filter((a) => a.endsWith('.json'))).toEqual([]);
  });

  it('rejects output that is not Kubernetes objects', async () => {
    const { exec } = fakeExec({ stdout: 'just text\n' });
    await expect(helmTemplate(exec, '/bin/helm', request())).rejects.toThrow(/the output of helm template \(model-canary's chart\) is not a Kubernetes object/);
  });
});

describe('helmFailure', () => {
  it('calls a chart that cannot be fetched a command failure, not a values problem', () => {
    const error = helmFailure(request({ describe: 'your chart oci://registry.example/c' }), 'Error: failed to do request: connection refused\n');
    expect(error.kind).toBe('command');
    expect(error.message).toBe('helm template could not render your chart oci://registry.example/c:\n  Error: failed to do request: connection refused');
  });

  it('calls a fail in a template a values problem', () => {
    expect(
      helmFailure(
        request(),
        'Error: execution error at (model-canary/templates/deployment.yaml:3:4): autoscaling.maxReplicas must be at least autoscaling.minReplicas\n',
      ).kind,
    ).toBe('user');
  });
});
