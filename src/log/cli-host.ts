import type { Host, Outputs } from './host.js';
import type { Annotation, Logger } from './logger.js';
import { redact } from '../exec/redact.js';

/** Logger for a terminal: progress on stderr (stdout is kept for the JSON outputs), groups as headings. */
export class CliLogger implements Logger {
  private readonly secrets: string[] = [];
  constructor(
    readonly debugEnabled: boolean,
    private readonly write: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  private line(text: string): void {
    this.write(`${redact(text, this.secrets)}\n`);
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
    if (value) this.secrets.push(value);
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
      Object.assign(outputs, values);
    },
    async writeSummary(markdown: string): Promise<void> {
      process.stderr.write(`\n== Summary ==\n${markdown}\n`);
    },
    saveState(): void {
      // The CLI cleans up in-process on SIGINT; there is no post step to hand state to.
    },
  };
}
