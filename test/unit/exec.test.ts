import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelCanaryError } from '../../src/errors.js';
import { CommandError } from '../../src/exec/command-error.js';
import { createExec, ProcessCounter, type Exec } from '../../src/exec/exec.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { isAlive, waitUntil } from '../helpers/process.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const NODE = process.execPath;

function setup(): { exec: Exec; logger: MemoryLogger; counter: ProcessCounter } {
  const logger = new MemoryLogger(true);
  const counter = new ProcessCounter();
  return { exec: createExec(logger, counter), logger, counter };
}

/** Runs fn and returns what it rejected with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the command to fail');
}

describe('exec: exit status', () => {
  it('captures stdout and stderr of a command that exits 0', async () => {
    const { exec } = setup();
    const result = await exec(NODE, ['-e', 'process.stdout.write("out 1\\nout 2\\n"); process.stderr.write("err 1\\n")']);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'out 1\nout 2\n', stderr: 'err 1\n', truncated: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('throws a CommandError naming the command, its exit code and the last 20 lines of stderr', async () => {
    const { exec } = setup();
    const script = 'i=1; while [ $i -le 30 ]; do echo "err line $i" >&2; i=$((i+1)); done; exit 3';
    const err = await rejection(exec('sh', ['-c', script], { failureHint: 'Check the script.' }));
    expect(err).toBeInstanceOf(CommandError);
    const error = err as CommandError;
    const tail = Array.from({ length: 20 }, (_, i) => `err line ${i + 11}`);
    expect(error.message).toBe(`\`sh -c '${script}'\` exited with code 3.\nLast lines of its stderr:\n${tail.map((l) => `  ${l}`).join('\n')}`);
    expect(error).toMatchObject({ kind: 'command', exitCode: 3, signal: null, timedOut: false, hint: 'Check the script.' });
    expect(error.stderrTail).toBe(tail.join('\n'));
    expect(error.message).not.toContain('err line 10\n');
  });

  it('says so when the command wrote nothing to stderr', async () => {
    const { exec } = setup();
    const err = await rejection(exec('sh', ['-c', 'exit 7']));
    expect((err as Error).message).toBe("`sh -c 'exit 7'` exited with code 7.\nIt wrote nothing to stderr.");
  });

  it('names the signal that killed a command', async () => {
    const { exec } = setup();
    const err = await rejection(exec('sh', ['-c', 'kill -KILL $$']));
    expect(err).toMatchObject({ signal: 'SIGKILL', timedOut: false });
    expect((err as Error).message).toBe("`sh -c 'kill -KILL $$'` was killed by SIGKILL.\nIt wrote nothing to stderr.");
  });

  it('returns the result of a failing command with allowFailure', async () => {
    const { exec } = setup();
    const result = await exec('sh', ['-c', 'echo partial; echo broken >&2; exit 4'], { allowFailure: true });
    expect(result).toMatchObject({ exitCode: 4, stdout: 'partial\n', stderr: 'broken\n' });
  });
});

describe('exec: timeout', () => {
  it('kills the command and the process it started, and says it timed out', async () => {
    const { exec } = setup();
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const started = Date.now();
    // The grandchild lets go of stdout, so only the process-group kill can stop it.
    const err = await rejection(exec('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $! > "$1"; wait', 'sh', pidFile], { timeoutMs: 1000, allowFailure: true }));
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).timedOut).toBe(true);
    expect((err as Error).message).toMatch(/^`sh -c .*` timed out after 1s and was killed\./);
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitUntil(() => !isAlive(grandchild), 3000)).toBe(true);
  });

  it('sends SIGKILL when the command and its child ignore SIGTERM', async () => {
    const { exec } = setup();
    const pidFile = path.join(tempDir(), 'grandchild.pid');
    const started = Date.now();
    const err = await rejection(exec('sh', ['-c', 'trap "" TERM; sleep 30 & echo $! > "$1"; wait; wait', 'sh', pidFile], { timeoutMs: 500 }));
    const elapsed = Date.now() - started;
    expect(err).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    // 0.5 s timeout + the 5 s grace before SIGKILL.
    expect(elapsed).toBeGreaterThanOrEqual(5000);
    expect(elapsed).toBeLessThan(15_000);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(await waitUntil(() => !isAlive(grandchild), 3000)).toBe(true);
  }, 30_000);
});

describe('exec: input and output', () => {
  it('captures 20 MB of stdout completely', async () => {
    const { exec } = setup();
    const lines = 210_000;
    const script = `const out = []; for (let i = 0; i < ${lines}; i++) out.push(String(i).padStart(9, '0') + 'x'.repeat(90)); process.stdout.write(out.join('\\n') + '\\n');`;
    let seen = 0;
    const result = await exec(NODE, ['-e', script], { onStdoutLine: () => seen++ });
    const expected = Array.from({ length: lines }, (_, i) => String(i).padStart(9, '0') + 'x'.repeat(90)).join('\n') + '\n';
    expect(result.stdout.length).toBe(lines * 100);
    expect(result.stdout === expected).toBe(true);
    expect(result.truncated).toBe(false);
    expect(seen).toBe(lines);
  });

  it('delivers stdin, as text or bytes', async () => {
    const { exec } = setup();
    const echo = ['-e', 'process.stdin.pipe(process.stdout)'];
    expect((await exec(NODE, echo, { stdin: 'line one\nline two\n' })).stdout).toBe('line one\nline two\n');
    expect((await exec(NODE, echo, { stdin: Buffer.from([0x68, 0x69]) })).stdout).toBe('hi');
    expect((await exec(NODE, echo)).stdout).toBe('');
  });

  it('merges env over the parent environment; undefined removes a variable', async () => {
    const { exec } = setup();
    process.env['MC_EXEC_KEPT'] = 'from parent';
    process.env['MC_EXEC_REPLACED'] = 'old';
    process.env['MC_EXEC_REMOVED'] = 'should vanish';
    try {
      const script =
        'const e = process.env; console.log(JSON.stringify({ kept: e.MC_EXEC_KEPT, replaced: e.MC_EXEC_REPLACED, added: e.MC_EXEC_ADDED, removed: e.MC_EXEC_REMOVED ?? null, path: e.PATH }))';
      const result = await exec(NODE, ['-e', script], {
        env: { MC_EXEC_REPLACED: 'new', MC_EXEC_ADDED: 'added', MC_EXEC_REMOVED: undefined },
      });
      expect(JSON.parse(result.stdout)).toEqual({
        kept: 'from parent',
        replaced: 'new',
        added: 'added',
        removed: null,
        path: process.env['PATH'],
      });
      expect(process.env['MC_EXEC_REMOVED']).toBe('should vanish');
      expect(process.env['MC_EXEC_REPLACED']).toBe('old');
    } finally {
      delete process.env['MC_EXEC_KEPT'];
      delete process.env['MC_EXEC_REPLACED'];
      delete process.env['MC_EXEC_REMOVED'];
    }
  });

  it('runs in the given working directory', async () => {
    const { exec } = setup();
    const dir = tempDir();
    expect((await exec(NODE, ['-e', 'process.stdout.write(process.cwd())'], { cwd: dir })).stdout).toBe(dir);
  });

  it('hands out complete stdout and stderr lines as they arrive', async () => {
    const { exec } = setup();
    const out: string[] = [];
    const err: string[] = [];
    const script = `
      const w = (s) => new Promise((r) => process.stdout.write(s, () => setTimeout(r, 20)));
      (async () => { await w('first\\nsec'); await w('ond\\r\\nthi'); await w('rd'); process.stderr.write('warn 1\\nwarn 2'); })();`;
    const result = await exec(NODE, ['-e', script], { onStdoutLine: (l) => out.push(l), onStderrLine: (l) => err.push(l) });
    expect(out).toEqual(['first', 'second', 'third']);
    expect(err).toEqual(['warn 1', 'warn 2']);
    expect(result.stdout).toBe('first\nsecond\r\nthird');
  });
});

describe('exec: secrets, logging, errors', () => {
  it('redacts secrets in the error and registers them with the logger', async () => {
    const { exec, logger } = setup();
    const secret = 's3cr3t-T0ken';
    const err = await rejection(exec('sh', ['-c', 'echo "login failed for token $1" >&2; exit 1', 'sh', secret], { secrets: [secret, ''] }));
    const message = (err as Error).message;
    expect(message).not.toContain(secret);
    expect(message).toBe(
      '`sh -c \'echo "login failed for token $1" >&2; exit 1\' sh ***` exited with code 1.\nLast lines of its stderr:\n  login failed for token ***',
    );
    expect((err as CommandError).command).toBe(`sh -c 'echo "login failed for token $1" >&2; exit 1' sh ***`);
    expect(logger.secrets).toContain(secret);
    expect(logger.lines.join('\n')).not.toContain(secret);
  });

  it('logs the command line at debug level, or at info level with echo', async () => {
    const { exec, logger } = setup();
    await exec('sh', ['-c', 'true']);
    await exec('sh', ['-c', 'exit 0'], { echo: true });
    expect(logger.lines).toEqual(['debug: $ sh -c true', "$ sh -c 'exit 0'"]);
  });

  it('gives a tool error when the executable does not exist', async () => {
    const { exec } = setup();
    const err = await rejection(exec('model-canary-no-such-tool', ['--version']));
    expect(err).toBeInstanceOf(ModelCanaryError);
    expect(err).not.toBeInstanceOf(CommandError);
    expect(err).toMatchObject({
      kind: 'tool',
      message: '`model-canary-no-such-tool` was not found.',
      hint: 'Install model-canary-no-such-tool or put it on PATH, then run again.',
    });
  });

  it('blames a missing working directory, not the command', async () => {
    const { exec } = setup();
    const missing = path.join(tempDir(), 'not-there');
    const err = await rejection(exec(NODE, ['-e', '0'], { cwd: missing }));
    expect(err).toMatchObject({
      kind: 'command',
      message: `Could not start \`${NODE} -e 0\`: its working directory ${missing} does not exist.`,
    });
  });

  it('counts the processes it starts, by command name', async () => {
    const { exec, counter } = setup();
    await exec(NODE, ['-e', '0']);
    await exec(NODE, ['-e', '0']);
    await exec('sh', ['-c', 'exit 2'], { allowFailure: true });
    expect(counter.get('node')).toBe(2);
    expect(counter.get('sh')).toBe(1);
    expect(counter.get('kubectl')).toBe(0);
    expect(counter.snapshot()).toEqual({ node: 2, sh: 1 });
  });
});
