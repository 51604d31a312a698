import { ModelCanaryError } from '../errors.js';

/** An external command that failed: names the command (secrets redacted), its exit and its stderr. */
export class CommandError extends ModelCanaryError {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  readonly timedOut: boolean;

  constructor(init: {
    command: string;
    exitCode: number | null;
    signal: string | null;
    stderrTail: string;
    timedOut: boolean;
    timeoutMs?: number;
    hint?: string;
  }) {
    const how = init.timedOut
      ? `timed out after ${Math.round((init.timeoutMs ?? 0) / 1000)}s and was killed`
      : init.signal
        ? `was killed by ${init.signal}`
        : `exited with code ${init.exitCode}`;
    const tail = init.stderrTail ? `\nLast lines of its stderr:\n${indent(init.stderrTail)}` : '\nIt wrote nothing to stderr.';
    super('command', `\`${init.command}\` ${how}.${tail}`, init.hint);
    this.name = 'CommandError';
    this.command = init.command;
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderrTail = init.stderrTail;
    this.timedOut = init.timedOut;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
