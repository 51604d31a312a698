import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelCanaryError } from '../../src/errors.js';
import { createExec, ProcessCounter } from '../../src/exec/exec.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { installTool } from '../../src/tools/install.js';
import { inspectTool, resolveTool, type ToolDeps } from '../../src/tools/resolve.js';
import type { ToolSource } from '../../src/tools/specs.js';
import { compareVersions, extractVersion } from '../../src/tools/version.js';
import { startFileServer, type FileServer } from '../helpers/http-server.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A real helm-like release archive: linux-amd64/helm, an executable script printing `output`. */
function helmArchive(output: string): Buffer {
  const dir = tempDir('model-canary-archive-');
  mkdirSync(path.join(dir, 'linux-amd64'));
  writeFileSync(path.join(dir, 'linux-amd64', 'helm'), `#!/bin/sh\necho "${output}"\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, 'linux-amd64', 'README.md'), 'not the binary\n');
  const archive = path.join(dir, 'helm.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', dir, 'linux-amd64']);
  return readFileSync(archive);
}

/** Every file under dir, relative. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('installTool', () => {
  let server: FileServer;
  let toolCache: string;
  let runnerTemp: string;
  const saved: Record<string, string | undefined> = {};
  const archive = helmArchive('v3.22.0 (from the archive)');
  const logger = new MemoryLogger();
  const deps = { exec: createExec(logger), logger };

  beforeAll(async () => {
    server = await startFileServer();
    for (const key of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP', 'no_proxy', 'NO_PROXY']) saved[key] = process.env[key];
    process.env['no_proxy'] = process.env['NO_PROXY'] = '127.0.0.1,localhost';
  });
  afterAll(async () => {
    await server.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    removeTempDirs();
  });
  beforeEach(() => {
    // A fresh tool cache per test: tool-cache reads both variables at each call.
    toolCache = tempDir('model-canary-toolcache-');
    runnerTemp = tempDir('model-canary-runnertemp-');
    process.env['RUNNER_TOOL_CACHE'] = toolCache;
    process.env['RUNNER_TEMP'] = runnerTemp;
    logger.lines.length = 0;
  });

  const helmSource = (urlPath: string, checksum = sha256(archive)): ToolSource => ({
    url: `${server.url}${urlPath}`,
    sha256: checksum,
    archive: 'tar.gz',
    binaryPath: 'linux-amd64/helm',
  });

  it('installs a tar.gz release with a good checksum into the tool cache, and the binary runs', async () => {
    server.serve('/good/helm.tar.gz', archive);
    const binary = await installTool('helm', '3.22.0', helmSource('/good/helm.tar.gz'), deps);
    expect(binary).toBe(path.join(toolCache, 'helm', '3.22.0', process.arch, 'helm'));
    expect(execFileSync(binary, { encoding: 'utf8' })).toBe('v3.22.0 (from the archive)\n');
    // Only the binary is cached, not the rest of the archive; the download is cleaned up.
    expect(listFiles(path.join(toolCache, 'helm'))).toEqual([path.join('3.22.0', `${process.arch}.complete`), path.join('3.22.0', process.arch, 'helm')]);
    expect(listFiles(runnerTemp)).toEqual([]);
    expect(logger.lines).toContain(`Installing helm 3.22.0 from ${server.url}/good/helm.tar.gz`);
  });

  it('accepts the checksum in uppercase', async () => {
    server.serve('/upper/helm.tar.gz', archive);
    const binary = await installTool('helm', '3.22.0', helmSource('/upper/helm.tar.gz', sha256(archive).toUpperCase()), deps);
    expect(existsSync(binary)).toBe(true);
  });

  it('uses a release already in the tool cache without downloading it again', async () => {
    server.serve('/cached/helm.tar.gz', archive);
    const first = await installTool('helm', '3.22.0', helmSource('/cached/helm.tar.gz'), deps);
    const second = await installTool('helm', '3.22.0', helmSource('/cached/helm.tar.gz'), deps);
    expect(second).toBe(first);
    expect(server.hits.get('/cached/helm.tar.gz')).toBe(1);
  });

  it('refuses a tampered download: Checksum mismatch, and nothing in the tool cache', async () => {
    const tampered = helmArchive('evil');
    expect(sha256(tampered)).not.toBe(sha256(archive));
    server.serve('/tampered/helm.tar.gz', tampered);
    const url = `${server.url}/tampered/helm.tar.gz`;
    const error = await installTool('helm', '3.22.0', helmSource('/tampered/helm.tar.gz'), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect(error).toMatchObject({
      kind: 'tool',
      message: `Checksum mismatch for helm 3.22.0 downloaded from ${url}: expected sha256 ${sha256(archive)}, got ${sha256(tampered)}. Nothing was installed.`,
    });
    expect((error as Error).message).toContain('Checksum mismatch');
    expect(listFiles(toolCache)).toEqual([]);
    expect(listFiles(runnerTemp)).toEqual([]);
  });

  it('installs a raw (non-archive) download', async () => {
    const script = Buffer.from('#!/bin/sh\necho \'{"clientVersion":{"gitVersion":"v1.34.4"}}\'\n');
    server.serve('/raw/kubectl', script);
    const binary = await installTool('kubectl', '1.34.4', { url: `${server.url}/raw/kubectl`, sha256: sha256(script), archive: 'raw' }, deps);
    expect(binary).toBe(path.join(toolCache, 'kubectl', '1.34.4', process.arch, 'kubectl'));
    expect(JSON.parse(execFileSync(binary, ['version'], { encoding: 'utf8' }))).toEqual({ clientVersion: { gitVersion: 'v1.34.4' } });
    expect(listFiles(runnerTemp)).toEqual([]);
  });

  it('gives a tool error when the download fails', async () => {
    const url = `${server.url}/missing/helm.tar.gz`;
    const error = await installTool('helm', '3.22.0', helmSource('/missing/helm.tar.gz'), deps).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'tool',
      message: `Could not download helm 3.22.0 from ${url}: Unexpected HTTP response: 404`,
      hint: "Check the runner's network, or install helm on the runner so it is found on PATH.",
    });
    expect(listFiles(toolCache)).toEqual([]);
  });
});

describe('inspectTool and resolveTool', () => {
  afterAll(removeTempDirs);

  /** A folder for PATH holding fake tools: name -> shell script body. */
  function fakeBin(tools: Record<string, string>): string {
    const dir = tempDir('model-canary-bin-');
    for (const [name, body] of Object.entries(tools)) writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return dir;
  }

  function deps(searchPath: string, cacheDir?: string): ToolDeps & { counter: ProcessCounter } {
    const logger = new MemoryLogger();
    const counter = new ProcessCounter();
    return { exec: createExec(logger, counter), logger, searchPath, counter, ...(cacheDir ? { cacheDir } : {}) };
  }

  it('finds a tool that is new enough', async () => {
    const bin = fakeBin({ helm: 'echo v3.22.0' });
    const status = await inspectTool('helm', deps(`/nonexistent:${bin}`));
    expect(status).toEqual({ state: 'found', tool: { name: 'helm', path: path.join(bin, 'helm'), version: '3.22.0', source: 'path' } });
  });

  it('reads each tool the way it prints its version', async () => {
    const bin = fakeBin({
      docker: 'echo "Docker version 28.2.2, build e6534b4"',
      kubectl: `echo '{"clientVersion":{"gitVersion":"v1.31.2","platform":"linux/amd64"},"kustomizeVersion":"v5.4.2"}'`,
      trivy: 'printf "Version: 0.74.0\\nVulnerability DB:\\n  Version: 2\\n"',
      helm: 'echo "v3.14.0"',
    });
    const d = deps(bin);
    const versions = await Promise.all(
      (['docker', 'kubectl', 'trivy', 'helm'] as const).map(async (name) => {
        const s = await inspectTool(name, d);
        return s.state === 'found' ? s.tool.version : s.state;
      }),
    );
    expect(versions).toEqual(['28.2.2', '1.31.2', '0.74.0', '3.14.0']);
  });

  it('reports a tool that is too old: installs the pinned release when there is one, else missing', async () => {
    const bin = fakeBin({ helm: 'echo v3.10.0', docker: 'echo "Docker version 19.03.0, build x"' });
    const d = deps(bin);
    expect(await inspectTool('helm', d)).toEqual({
      state: 'will-install',
      name: 'helm',
      version: '3.22.0',
      reason: `${path.join(bin, 'helm')} is version 3.10.0, older than the 3.14.0 model-canary needs`,
    });
    expect(await inspectTool('docker', d)).toEqual({
      state: 'missing',
      name: 'docker',
      problem: `${path.join(bin, 'docker')} is version 19.03.0, older than the 20.10.0 model-canary needs. Docker must be installed on the runner (GitHub-hosted Ubuntu runners have it); model-canary does not install it.`,
    });
  });

  it('reports a version it cannot read', async () => {
    const bin = fakeBin({ docker: 'echo "no idea"', helm: 'echo v3.22.0; exit 1' });
    const d = deps(bin);
    expect(await inspectTool('docker', d)).toMatchObject({
      state: 'missing',
      problem: expect.stringMatching(new RegExp(`^could not read the version of ${path.join(bin, 'docker')}\\. Docker must be installed`)),
    });
    expect(await inspectTool('helm', d)).toMatchObject({ state: 'will-install', reason: `could not read the version of ${path.join(bin, 'helm')}` });
  });

  it('reports a tool that is not on PATH; skips files that are not executable and folders', async () => {
    const bin = fakeBin({});
    writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\necho "Docker version 28.2.2"\n', { mode: 0o644 });
    mkdirSync(path.join(bin, 'helm'));
    const d = deps(bin);
    expect(await inspectTool('docker', d)).toEqual({
      state: 'missing',
      name: 'docker',
      problem: 'docker is not on PATH. Docker must be installed on the runner (GitHub-hosted Ubuntu runners have it); model-canary does not install it.',
    });
    expect(await inspectTool('helm', d)).toEqual({ state: 'will-install', name: 'helm', version: '3.22.0', reason: 'not on PATH' });
    expect(d.counter.snapshot()).toEqual({});
  });

  it('resolveTool returns a tool found on PATH and throws a tool error for a missing one', async () => {
    const bin = fakeBin({ trivy: 'echo "Version: 0.60.1"' });
    const d = deps(bin);
    expect(await resolveTool('trivy', d)).toEqual({ name: 'trivy', path: path.join(bin, 'trivy'), version: '0.60.1', source: 'path' });
    const error = await resolveTool('docker', d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect(error).toMatchObject({ kind: 'tool', message: expect.stringMatching(/^docker is not on PATH\. /) });
  });

  it('remembers a version probe in the cache file, so a second look starts no process', async () => {
    const bin = fakeBin({ helm: 'echo v3.22.0' });
    const cacheDir = path.join(tempDir(), 'nested', 'cache');
    const first = deps(bin, cacheDir);
    expect(await inspectTool('helm', first)).toMatchObject({ state: 'found' });
    expect(first.counter.get('helm')).toBe(1);
    const cache = JSON.parse(readFileSync(path.join(cacheDir, 'tool-versions.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(cache)).toEqual(['3.22.0']);
    expect(Object.keys(cache)[0]).toMatch(new RegExp(`^${path.join(bin, 'helm')}:\\d+:\\d+$`));

    const second = deps(bin, cacheDir);
    expect(await inspectTool('helm', second)).toMatchObject({ state: 'found', tool: { version: '3.22.0' } });
    expect(second.counter.get('helm')).toBe(0);

    // A different binary at the same path is probed again.
    writeFileSync(path.join(bin, 'helm'), '#!/bin/sh\necho v3.15.1 # upgraded\n');
    chmodSync(path.join(bin, 'helm'), 0o755);
    const third = deps(bin, cacheDir);
    expect(await inspectTool('helm', third)).toMatchObject({ state: 'found', tool: { version: '3.15.1' } });
    expect(third.counter.get('helm')).toBe(1);
  });

  it('keeps every version when the probes of a plan run in parallel', async () => {
    const bin = fakeBin({
      docker: 'echo "Docker version 28.2.2, build x"',
      kubectl: `echo '{"clientVersion":{"gitVersion":"v1.31.2"}}'`,
      trivy: 'echo "Version: 0.74.0"',
      helm: 'echo v3.22.0',
    });
    const cacheDir = tempDir();
    const names = ['docker', 'kubectl', 'trivy', 'helm'] as const;
    const first = deps(bin, cacheDir);
    await Promise.all(names.map((name) => inspectTool(name, first)));
    const cache = JSON.parse(readFileSync(path.join(cacheDir, 'tool-versions.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(cache).sort()).toEqual(['0.74.0', '1.31.2', '28.2.2', '3.22.0']);
    const second = deps(bin, cacheDir);
    await Promise.all(names.map((name) => inspectTool(name, second)));
    expect(second.counter.snapshot()).toEqual({});
  });

  it('probes every time without a cache folder', async () => {
    const bin = fakeBin({ helm: 'echo v3.22.0' });
    const d = deps(bin);
    await inspectTool('helm', d);
    await inspectTool('helm', d);
    expect(d.counter.get('helm')).toBe(2);
  });
});

describe('versions', () => {
  it.each([
    ['v1.34.4', '1.34.4'],
    ['Version: 0.74.0', '0.74.0'],
    ['Docker version 28.2.2, build e6534b4', '28.2.2'],
    ['v3.22', '3.22.0'],
    ['helm v3.14.0+g3fc9f4b', '3.14.0'],
    ['kubectl 1.30.0-rc.1', '1.30.0'],
  ])('extractVersion(%j) is %s', (text, version) => {
    expect(extractVersion(text)).toBe(version);
  });

  it.each(['', 'no version here', 'v1', 'version 7'])('extractVersion(%j) is undefined', (text) => {
    expect(extractVersion(text)).toBeUndefined();
  });

  it.each([
    ['1.10.0', '1.9.0', 1],
    ['1.9.0', '1.10.0', -1],
    ['3.14.0', '3.14.0', 0],
    ['v1.30.0', '1.30.0', 0],
    ['1.30', '1.30.0', 0],
    ['2.0.0', '1.99.99', 1],
    ['0.49.9', '0.50.0', -1],
    ['20.10.0', '20.10.1', -1],
  ])('compareVersions(%s, %s) is %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
