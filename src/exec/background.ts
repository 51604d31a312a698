import { spawn } from 'node:child_process';
import { ModelCanaryError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ProcessCounter } from './exec.js';
import { formatCommand, lastLines } from './redact.js';
import { trackChild, untrackChild } from './children.js';
import { childEnv } from './child-env.js';

/** A command that runs beside model-canary (a `kubectl proxy`) until stopped. */
export interface BackgroundProcess {
  readonly pid: number;
  /** Resolves with the first stdout line matching the pattern, or rejects when the process exits first or the time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Stops it (SIGTERM to its process group, then SIGKILL) and resolves when it has exited. */
  stop(): Promise<void>;
  readonly exited: boolean;
}

/**
 * Starts a long-running command through the same rules as the exec wrapper: argv array, the environment
 * built for children (./child-env.ts), output captured, counted, killed with everything it started.
 */
export function startBackground(
  logger: Logger,
  counter: ProcessCounter,
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string | undefined> } = {},
): BackgroundProcess {
  const shown = formatCommand(command, args);
  logger.debug(`$ ${shown} &`);
  counter.add(command);
  const child = spawn(command, [...args], { env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new ModelCanaryError('tool', `Could not start \`${shown}\`.`);
  const pid = child.pid;
  trackChild(pid);
  let stdoutText = '';
  let stderrText = '';
  let exited = false;
  const lineWaiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  const exitWaiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutText += chunk.toString('utf8');
    if (stdoutText.length > 1_000_000) stdoutText = stdoutText.slice(-500_000);
    for (const line of stdoutText.split('\n')) {
      for (const w of [...lineWaiters]) {
        if (w.pattern.test(line)) {
          lineWaiters.splice(lineWaiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString('utf8')).slice(-100_000);
  });
  child.on('close', () => {
    exited = true;
    untrackChild(pid);
    for (const w of exitWaiters.splice(0)) w();
  });
  child.on('error', () => {
    exited = true;
    untrackChild(pid);
    for (const w of exitWaiters.splice(0)) w();
  });

  return {
    pid,
    get exited() {
      return exited;
    },
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const already = stdoutText.split('\n').find((l) => pattern.test(l));
        if (already !== undefined) return resolve(already);
        const fail = (why: string): void =>
          reject(new ModelCanaryError('command', `\`${shown}\` ${why}.\nLast lines of its stderr:\n${lastLines(stderrText, 10) || '(none)'}`));
        if (exited) return fail('exited before it was ready');
        const timer = setTimeout(() => fail(`was not ready after ${Math.round(timeoutMs / 1000)}s`), timeoutMs);
        exitWaiters.push(() => {
          clearTimeout(timer);
          fail('exited before it was ready');
        });
        lineWaiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    stop() {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        exitWaiters.push(resolve);
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // gone already
        }
        setTimeout(() => {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }, 3000).unref();
      });
    },
  };
}
