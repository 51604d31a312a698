import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ModelCanaryError } from '../errors.js';
import type { Exec } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import { releaseFor } from './checksums.js';
import { TOOL_SPECS, type ToolName, type ToolSpec } from './specs.js';
import { compareVersions, extractVersion } from './version.js';

export interface ResolvedTool {
  name: ToolName;
  path: string;
  version: string;
  /** path: found on PATH; installed: installed now or earlier into the tool cache at the pinned version. */
  source: 'path' | 'installed';
}

/** What plan reports for a tool without installing anything. */
export type ToolStatus =
  | { state: 'found'; tool: ResolvedTool }
  | { state: 'will-install'; name: ToolName; version: string; reason: string }
  | { state: 'missing'; name: ToolName; problem: string };

export interface ToolDeps {
  exec: Exec;
  logger: Logger;
  /** PATH to search (the entry point reads it). */
  searchPath: string;
  /** Folder for the version-probe cache; undefined disables it. */
  cacheDir?: string;
}

/** Finds a tool on PATH and checks its version, without installing anything. */
export async function inspectTool(name: ToolName, deps: ToolDeps): Promise<ToolStatus> {
  const spec = TOOL_SPECS[name];
  const found = findExecutable(name, deps.searchPath);
  if (found) {
    const version = await probeVersion(spec, found, deps);
    if (version && compareVersions(version, spec.minVersion) >= 0) {
      return { state: 'found', tool: { name, path: found, version, source: 'path' } };
    }
    const why = version ? `${found} is version ${version}, older than the ${spec.minVersion} model-canary needs` : `could not read the version of ${found}`;
    if (spec.pinned && releaseFor(name, spec.pinned)) return { state: 'will-install', name, version: spec.pinned, reason: why };
    return { state: 'missing', name, problem: `${why}. ${spec.installHint}` };
  }
  if (spec.pinned && releaseFor(name, spec.pinned)) {
    return { state: 'will-install', name, version: spec.pinned, reason: 'not on PATH' };
  }
  return { state: 'missing', name, problem: `${name} is not on PATH. ${spec.installHint}` };
}

/** Finds a tool on PATH, or installs its pinned release; throws a tool error saying what to do. */
export async function resolveTool(name: ToolName, deps: ToolDeps): Promise<ResolvedTool> {
  const status = await inspectTool(name, deps);
  if (status.state === 'found') return status.tool;
  if (status.state === 'missing') throw new ModelCanaryError('tool', status.problem);
  const source = releaseFor(name, status.version);
  if (!source) throw new ModelCanaryError('tool', `No pinned release of ${name} for this platform.`, TOOL_SPECS[name].installHint);
  // Loaded only to install: it brings node:crypto and, in turn, @actions/tool-cache.
  const { installTool } = await import('./install.js');
  const binary = await installTool(name, status.version, source, deps);
  return { name, path: binary, version: status.version, source: 'installed' };
}

function findExecutable(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      const st = statSync(candidate);
      if (st.isFile() && (st.mode & 0o111) !== 0) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Runs the tool's version command, remembering the answer per binary (path, size, mtime) so a plan does
 * not start four processes every time.
 */
async function probeVersion(spec: ToolSpec, binary: string, deps: ToolDeps): Promise<string | undefined> {
  const st = statSync(binary);
  const key = `${binary}:${st.size}:${Math.round(st.mtimeMs)}`;
  const cacheFile = deps.cacheDir ? path.join(deps.cacheDir, 'tool-versions.json') : undefined;
  const cache = readCache(cacheFile);
  const known = cache[key];
  if (known) return known;
  const result = await deps.exec(binary, spec.versionArgs, { allowFailure: true, timeoutMs: 30_000 });
  const text = spec.name === 'kubectl' ? kubectlClientVersion(result.stdout) : result.stdout;
  const version = result.exitCode === 0 ? extractVersion(text) : undefined;
  if (version && cacheFile) {
    // Read again: the probes of a plan run in parallel, and each would otherwise write back the cache as
    // it was before any of them finished, keeping only the last tool's version.
    const latest = { ...readCache(cacheFile), [key]: version };
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      writeFileSync(cacheFile, JSON.stringify(latest));
    } catch {
      // a cache that cannot be written only costs time
    }
  }
  return version;
}

function kubectlClientVersion(stdout: string): string {
  try {
    const parsed = JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } };
    return parsed.clientVersion?.gitVersion ?? stdout;
  } catch {
    return stdout;
  }
}

function readCache(file: string | undefined): Record<string, string> {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
