import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ModelCanaryError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { CommandError } from './command-error.js';
import { formatCommand, lastLines, redact } from './redact.js';
import { trackChild, untrackChild } from './children.js';
import { childEnv } from './child-env.js';

/*
 * The one way model-canary starts an external process.
 *
 * Built on node:child_process rather than @actions/exec: @actions/exec returns no handle to the child, so
 * it cannot kill a command that outlives its timeout (nor the processes it started), and its `env` option
 * replaces the environment instead of merging. Children get an environment built for them
 * (./child-env.ts: no action inputs, no registry password, no runtime token). Everything else follows the toolkit's habits: argv arrays
 * only, the command line echoed to the log, output captured.
 */

export interface ExecOptions {
  cwd?: string;
  /** Merged over the environment built for children (./child-env.ts); a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, then closed. The way secrets reach a command. */
  stdin?: string | Buffer;
  /** Kill the command (and what it started) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Values to mask in the log and in errors; each is also registered with the logger. */
  secrets?: readonly string[];
  /** Return the result on a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Called with each complete stdout line as it arrives (for progress). */
  onStdoutLine?: (line: string) => void;
  /** Called with each complete stderr line as it arrives. */
  onStderrLine?: (line: string) => void;
  /** Say what to do when the command fails; added to the CommandError. */
  failureHint?: string;
  /** Log the command line at info level instead of debug. */
  echo?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when more than the capture limit was written; the start of the output was dropped. */
  truncated: boolean;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const KILL_GRACE_MS = 5_000;
/** Each of stdout and stderr keeps at most this much, the newest part. */
const CAPTURE_LIMIT = 32 * 1024 * 1024;

/** Counts processes started, by command name: the release benchmark reports kubectl starts per release. */
export class ProcessCounter {
  private readonly counts = new Map<string, number>();
  add(command: string): void {
    const name = command.split('/').pop() ?? command;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

export { killLiveChildren } from './children.js';

export function createExec(logger: Logger, counter = new ProcessCounter()): Exec {
  return (command, args, options = {}) => runProcess(logger, counter, command, args, options);
}

function runProcess(logger: Logger, counter: ProcessCounter, command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const secrets = options.secrets ?? [];
  for (const secret of secrets) logger.setSecret(secret);
  const shown = redact(formatCommand(command, args), secrets);
  if (options.echo) logger.info(`$ ${shown}`);
  else logger.debug(`$ ${shown}`);

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  counter.add(command);

  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group, so a timeout kills the command and everything it started.
      detached: true,
    });
    const stdout = new Capture(options.onStdoutLine);
    const stderr = new Capture(options.onStderrLine);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    if (child.pid !== undefined) trackChild(child.pid);

    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {
      // The command may exit without reading stdin; its exit status tells what happened.
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();

    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackChild(child.pid);
      if (err.code === 'ENOENT' && options.cwd !== undefined && !existsSync(options.cwd)) {
        // spawn says ENOENT for a missing working directory too; do not blame the command.
        reject(new ModelCanaryError('command', `Could not start \`${shown}\`: its working directory ${options.cwd} does not exist.`, options.failureHint));
      } else if (err.code === 'ENOENT') {
        reject(
          new ModelCanaryError(
            'tool',
            `\`${command}\` was not found${options.cwd ? ` (working directory ${options.cwd})` : ''}.`,
            `Install ${command} or put it on PATH, then run again.`,
          ),
        );
      } else {
        reject(new ModelCanaryError('command', `Could not start \`${shown}\`: ${redact(err.message, secrets)}`, options.failureHint));
      }
    });

    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (child.pid !== undefined) untrackChild(child.pid);
      const result: ExecResult = {
        exitCode: code ?? -1,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Date.now() - started,
        truncated: stdout.truncated || stderr.truncated,
      };
      if (code === 0 && !timedOut) {
        resolve(result);
        return;
      }
      if (options.allowFailure && !timedOut) {
        resolve(result);
        return;
      }
      reject(
        new CommandError({
          command: shown,
          exitCode: code,
          signal: signal ?? null,
          stderrTail: lastLines(result.stderr, 20),
          secrets,
          timedOut,
          timeoutMs,
          ...(options.failureHint !== undefined ? { hint: options.failureHint } : {}),
        }),
      );
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Collects a stream, keeping the newest CAPTURE_LIMIT bytes, and hands out complete lines as they come. */
class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  private partial = '';
  truncated = false;

  constructor(private readonly onLine: ((line: string) => void) | undefined) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > CAPTURE_LIMIT && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      this.size -= dropped?.length ?? 0;
      this.truncated = true;
    }
    if (this.onLine) {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.onLine(line.replace(/\r$/, ''));
    }
  }

  text(): string {
    if (this.onLine && this.partial) {
      this.onLine(this.partial);
      this.partial = '';
    }
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
