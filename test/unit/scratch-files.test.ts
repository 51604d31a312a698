import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateTempDir, readRunnerEnvironment } from '../../src/config/action-inputs.js';
import { createExec, type Exec, type ExecOptions } from '../../src/exec/exec.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { helmTemplate } from '../../src/render/helm.js';
import { installTool } from '../../src/tools/install.js';
import { startFileServer, type FileServer } from '../helpers/http-server.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

// Scratch files live in a private folder made with mkdtemp (0700), never under a name another local user
// could make first; a tool download is verified from the bytes then used.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('helm values files', () => {
  it("are written in a 0700 folder of the call's own under the run's temp folder, removed afterwards", async () => {
    const runTemp = tempDir('helm-run-temp-');
    const seen: { dir: string; dirMode: number; fileModes: number[] }[] = [];
    const exec: Exec = async (_command, args) => {
      const files = args.filter((_, i) => args[i - 1] === '--values');
      const dir = path.dirname(files[0] as string);
      seen.push({ dir, dirMode: mode(dir), fileModes: files.map(mode) });
      return { exitCode: 0, stdout: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n', stderr: '', durationMs: 1, truncated: false };
    };
    await helmTemplate(exec, '/bin/helm', {
      release: 'iris',
      chart: '/charts/c',
      namespace: 'models',
      defaults: { track: 'stable' },
      valuesFiles: [],
      values: { replicas: 2 },
      tempDir: runTemp,
      describe: 'the chart',
      valuesHint: 'Fix it.',
    });
    const [call] = seen;
    expect(path.dirname(call?.dir ?? '')).toBe(runTemp);
    expect(path.basename(call?.dir ?? '')).toMatch(/^model-canary-values-iris-\w{6}$/);
    expect(call?.dirMode).toBe(0o700);
    expect(call?.fileModes).toEqual([0o600, 0o600]);
    expect(existsSync(call?.dir ?? '')).toBe(false);
    expect(readdirSync(runTemp)).toEqual([]);
  });

  it('are removed when helm fails too', async () => {
    const runTemp = tempDir('helm-run-temp-');
    const exec: Exec = async () => ({ exitCode: 1, stdout: '', stderr: 'Error: boom', durationMs: 1, truncated: false });
    await expect(
      helmTemplate(exec, '/bin/helm', {
        release: 'iris',
        chart: '/c',
        namespace: 'm',
        valuesFiles: [],
        values: { a: 1 },
        tempDir: runTemp,
        describe: 'the chart',
        valuesHint: 'Fix it.',
      }),
    ).rejects.toThrow(/boom/);
    expect(readdirSync(runTemp)).toEqual([]);
  });
});

describe("the run's temp folder outside a runner", () => {
  it('is a new 0700 folder under the OS temp folder, not the OS temp folder itself nor a fixed name', () => {
    const first = readRunnerEnvironment({ GITHUB_WORKSPACE: '/ws' }).tempDir;
    const second = privateTempDir();
    made.push(first, second);
    expect(path.dirname(first)).toBe(os.tmpdir());
    expect(path.basename(first)).toMatch(/^model-canary-\w{6}$/);
    expect(mode(first)).toBe(0o700);
    expect(second).not.toBe(first);
  });

  it('is RUNNER_TEMP when the runner gives one', () => {
    expect(readRunnerEnvironment({ RUNNER_TEMP: '/runner/_temp' }).tempDir).toBe('/runner/_temp');
  });
});

describe('a tool download', () => {
  let server: FileServer;
  const saved: Record<string, string | undefined> = {};
  const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

  beforeAll(async () => {
    server = await startFileServer();
    for (const key of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP', 'no_proxy', 'NO_PROXY']) saved[key] = process.env[key];
    process.env['no_proxy'] = process.env['NO_PROXY'] = '127.0.0.1,localhost';
    process.env['RUNNER_TOOL_CACHE'] = tempDir('model-canary-toolcache-');
    process.env['RUNNER_TEMP'] = tempDir('model-canary-runnertemp-');
  });
  afterAll(async () => {
    await server.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('is extracted from the very bytes whose SHA-256 was checked (tar reads them on stdin), in a private folder', async () => {
    const dir = tempDir('model-canary-archive-');
    mkdirSync(path.join(dir, 'linux-amd64'));
    writeFileSync(path.join(dir, 'linux-amd64', 'helm'), '#!/bin/sh\necho v3.22.0\n', { mode: 0o755 });
    execFileSync('tar', ['-czf', path.join(dir, 'helm.tar.gz'), '-C', dir, 'linux-amd64']);
    const archive = readFileSync(path.join(dir, 'helm.tar.gz'));
    server.serve('/helm.tar.gz', archive);

    const logger = new MemoryLogger();
    const real = createExec(logger);
    const tarCalls: { args: readonly string[]; stdin: ExecOptions['stdin']; outMode: number; scratchMode: number }[] = [];
    const exec: Exec = async (command, args, options) => {
      if (command === 'tar') {
        const out = args[args.indexOf('-C') + 1] as string;
        tarCalls.push({ args, stdin: options?.stdin, outMode: mode(out), scratchMode: mode(path.dirname(out)) });
      }
      return real(command, args, options);
    };
    const binary = await installTool(
      'helm',
      '3.22.0',
      { url: `${server.url}/helm.tar.gz`, sha256: sha256(archive), archive: 'tar.gz', binaryPath: 'linux-amd64/helm' },
      { exec, logger },
    );

    expect(execFileSync(binary, { encoding: 'utf8' })).toBe('v3.22.0\n');
    expect(tarCalls).toHaveLength(1);
    expect(tarCalls[0]?.args.slice(0, 2)).toEqual(['-xzf', '-']);
    expect(Buffer.isBuffer(tarCalls[0]?.stdin) && sha256(tarCalls[0]?.stdin as Buffer)).toBe(sha256(archive));
    expect(tarCalls[0]?.outMode).toBe(0o700);
    expect(tarCalls[0]?.scratchMode).toBe(0o700);
    // Not downloaded into the shared RUNNER_TEMP, and the private folder is gone.
    expect(readdirSync(process.env['RUNNER_TEMP'] as string)).toEqual([]);
    expect(existsSync(path.dirname(tarCalls[0]?.args[tarCalls[0].args.indexOf('-C') + 1] as string))).toBe(false);
  });
});
