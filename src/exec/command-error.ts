import { ModelCanaryError } from '../errors.js';
import { redact } from './redact.js';

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
    /** Values to redact besides the registered secrets (which always are). */
    secrets?: readonly string[];
  }) {
    const secrets = init.secrets ?? [];
    const command = redact(init.command, secrets);
    const stderrTail = redact(init.stderrTail, secrets);
    const how = init.timedOut
      ? `timed out after ${Math.round((init.timeoutMs ?? 0) / 1000)}s and was killed`
      : init.signal
        ? `was killed by ${init.signal}`
        : `exited with code ${init.exitCode}`;
    const tail = stderrTail ? `\nLast lines of its stderr:\n${indent(stderrTail)}` : '\nIt wrote nothing to stderr.';
    super('command', `\`${command}\` ${how}.${tail}`, init.hint === undefined ? undefined : redact(init.hint, secrets));
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderrTail = stderrTail;
    this.timedOut = init.timedOut;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
