import type { Host, Outputs } from './host.js';
import type { Annotation, Logger } from './logger.js';
import { redact, registerSecret } from '../exec/redact.js';
import { neutralise, neutraliseJson } from './neutralise.js';

/**
 * Logger for a terminal: progress on stderr (stdout is kept for the JSON outputs), groups as headings.
 * The CLI may itself run in a workflow step, where the runner parses stderr for commands too: every line
 * is redacted and neutralised (./neutralise.ts).
 */
export class CliLogger implements Logger {
  constructor(
    readonly debugEnabled: boolean,
    private readonly write: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  private line(text: string): void {
    this.write(`${neutralise(redact(text))}\n`);
  }
  debug(message: string): void {
    if (this.debugEnabled) this.line(`debug: ${message}`);
  }
  info(message: string): void {
    this.line(message);
  }
  warn(message: string, where?: Annotation): void {
    this.line(`warning: ${located(message, where)}`);
  }
  error(message: string, where?: Annotation): void {
    this.line(`error: ${located(message, where)}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(`\n== ${title} ==`);
    return fn();
  }
  setSecret(value: string): void {
    if (value) registerSecret(value);
  }
}

function located(message: string, where: Annotation | undefined): string {
  if (!where?.file) return message;
  return `${where.file}${where.startLine ? `:${where.startLine}` : ''}: ${message}`;
}

export interface CliHost extends Host {
  /** Outputs set during the run, printed as JSON on stdout when it ends. */
  readonly outputs: Partial<Outputs>;
}

export function createCliHost(debugEnabled: boolean): CliHost {
  const logger = new CliLogger(debugEnabled);
  const outputs: Partial<Outputs> = {};
  return {
    logger,
    outputs,
    setOutputs(values: Outputs): void {
      for (const [name, value] of Object.entries(values)) outputs[name as keyof Outputs] = redact(value);
    },
    async writeSummary(markdown: string): Promise<void> {
      process.stderr.write(`\n== Summary ==\n${neutralise(redact(markdown))}\n`);
    },
    saveState(): void {
      // The CLI cleans up in-process on SIGINT; there is no post step to hand state to.
    },
  };
}

/** The outputs as the CLI prints them on stdout: JSON, redacted, and never a workflow command. */
export function outputsJson(outputs: Partial<Outputs>): string {
  return neutraliseJson(redact(JSON.stringify(outputs, null, 2)));
}
