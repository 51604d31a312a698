import { redact } from './exec/redact.js';

/**
 * Errors are values with a kind. Only the entry points turn them into `::error::` and an exit code;
 * everything else throws or returns one of these.
 */
export type ErrorKind =
  /** The user can fix it: bad config, bad input, missing file. */
  | 'user'
  /** A required external tool is missing or too old. */
  | 'tool'
  /** An external command failed. */
  | 'command'
  /** The cluster or registry refused or failed. */
  | 'cluster'
  /** The model itself failed: gate, smoke or scan verdict. */
  | 'model'
  /** A stage that a later release of model-canary provides. */
  | 'unavailable'
  /** The run was cancelled (SIGINT, SIGTERM): it stopped and removed what it had started. */
  | 'cancelled'
  /** A bug in model-canary. */
  | 'internal';

export class ModelCanaryError extends Error {
  readonly kind: ErrorKind;
  /** What the user should do about it; printed after the message. */
  readonly hint: string | undefined;

  /** The message and hint are redacted of every registered secret (src/exec/redact.ts) as they are made. */
  constructor(kind: ErrorKind, message: string, hint?: string, options?: { cause?: unknown }) {
    super(redact(message), options);
    this.name = 'ModelCanaryError';
    this.kind = kind;
    this.hint = hint === undefined ? undefined : redact(hint);
  }

  /** The whole text a user sees: the message and, when there is one, what to do. */
  get userMessage(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

/** Raised when the config has problems; lists every one of them. */
export class ConfigError extends ModelCanaryError {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'user',
      `${source} has ${count}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      'Fix the lines above and run again; `model-canary plan` checks a config without changing anything.',
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function userError(message: string, hint?: string): ModelCanaryError {
  return new ModelCanaryError('user', message, hint);
}

/** A stage that a later release provides answers with this instead of pretending to work. */
export function notAvailable(stage: string): ModelCanaryError {
  return new ModelCanaryError(
    'unavailable',
    `The ${stage} stage is not available in this version of model-canary.`,
    `Use \`command: plan\` to check your config; the ${stage} stage ships in a later release.`,
  );
}

/** Turns anything thrown into a ModelCanaryError, keeping the original as the cause. */
export function asModelCanaryError(err: unknown): ModelCanaryError {
  if (err instanceof ModelCanaryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ModelCanaryError(
    'internal',
    `Unexpected error: ${message}`,
    'This is a bug in model-canary; rerun with RUNNER_DEBUG=1 for the stack and report it.',
    { cause: err },
  );
}
