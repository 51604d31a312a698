import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ModelCanaryError } from '../errors.js';
import type { Exec } from '../exec/exec.js';
import { parseObjects, type KubeObject } from './objects.js';
import type { Values } from './values.js';

export interface HelmTemplateRequest {
  /** Release name: the model's name. */
  release: string;
  /** A chart folder, or an oci:// reference. */
  chart: string;
  /** Version of an oci:// chart. */
  version?: string;
  namespace: string;
  /** Values built as data, passed first (lowest precedence): defaults the user's values may change. */
  defaults?: Values;
  /** The user's values files, in order. */
  valuesFiles: readonly string[];
  /** Values built as data; written to a JSON file passed last (highest precedence). */
  values?: Values;
  /** Where a private folder (0700) holds the values files for the duration of the call. */
  tempDir: string;
  /** What the chart is, for messages ("model-canary's chart", "your chart charts/iris"). */
  describe: string;
  /** What to fix when helm refuses the values. */
  valuesHint: string;
  /** Capabilities the cluster serves (group/version/Kind), for charts that render an object only where it exists. */
  apiVersions?: readonly string[];
}

const TEMPLATE_TIMEOUT_MS = 5 * 60_000;

/** The argv of `helm template`; the request's defaults and values are in the two files given. */
export function helmTemplateArgs(request: HelmTemplateRequest, files: { defaults?: string; values?: string }): string[] {
  const args = ['template', request.release, request.chart, '--namespace', request.namespace, '--skip-tests'];
  if (request.version !== undefined) args.push('--version', request.version);
  // A registry on the machine itself speaks plain HTTP, as Docker assumes for loopback registries.
  if (isLoopbackOci(request.chart)) args.push('--plain-http');
  if (files.defaults !== undefined) args.push('--values', files.defaults);
  for (const file of request.valuesFiles) args.push('--values', file);
  if (files.values !== undefined) args.push('--values', files.values);
  for (const api of request.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

/** Runs `helm template` through the exec wrapper and returns the objects it rendered, as data. */
export async function helmTemplate(exec: Exec, helm: string, request: HelmTemplateRequest): Promise<KubeObject[]> {
  const files: { defaults?: string; values?: string } = {};
  let scratch: string | undefined;
  const folder = (): string => {
    mkdirSync(request.tempDir, { recursive: true });
    scratch ??= mkdtempSync(path.join(request.tempDir, `model-canary-values-${request.release}-`));
    return scratch;
  };
  try {
    if (request.defaults !== undefined) files.defaults = writeValuesFile(folder(), 'defaults', request.defaults);
    if (request.values !== undefined) files.values = writeValuesFile(folder(), 'values', request.values);
    const result = await exec(helm, helmTemplateArgs(request, files), { allowFailure: true, timeoutMs: TEMPLATE_TIMEOUT_MS, echo: true });
    if (result.exitCode !== 0) throw helmFailure(request, result.stderr);
    return parseObjects(result.stdout, `the output of helm template (${request.describe})`);
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** JSON is YAML: values reach helm through a serializer, never as text we assemble. Readable by us only. */
function writeValuesFile(dir: string, what: string, values: Values): string {
  const file = path.join(dir, `${what}.json`);
  writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Turns helm's stderr into an error that quotes helm (it names the value's path) and says what to fix. */
export function helmFailure(request: HelmTemplateRequest, stderr: string): ModelCanaryError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !l.startsWith('Use --debug'));
  const text = lines.slice(-30).join('\n  ') || '(helm printed nothing)';
  const valuesProblem = /values don't meet the specifications|execution error at|required/i.test(stderr);
  return new ModelCanaryError(
    valuesProblem ? 'user' : 'command',
    `helm template could not render ${request.describe}:\n  ${text}`,
    valuesProblem ? request.valuesHint : `Check that ${request.describe} renders with \`helm template\` on its own.`,
  );
}

function isLoopbackOci(chart: string): boolean {
  const match = /^oci:\/\/(\[[^\]]+\]|[^/:]+)/.exec(chart);
  const host = match?.[1];
  return host !== undefined && (host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]');
}
