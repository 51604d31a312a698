import { forgetSecrets, registerSecret } from '../exec/redact.js';

/** Where progress goes. The action writes workflow commands; the CLI writes headings to stderr. */
export interface Logger {
  readonly debugEnabled: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string, where?: Annotation): void;
  error(message: string, where?: Annotation): void;
  /** Runs fn inside a collapsible group (a heading in the CLI). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a value that must never appear in the log, nor in any error, summary or output (src/exec/redact.ts). */
  setSecret(value: string): void;
}

/** A file position an annotation points at. */
export interface Annotation {
  title?: string;
  file?: string;
  startLine?: number;
}

/** A logger that keeps what it was told; used by tests and as a sink when nothing should print. */
export class MemoryLogger implements Logger {
  readonly debugEnabled: boolean;
  readonly lines: string[] = [];
  readonly secrets: string[] = [];

  /** A new in-memory logger is a new run: the process-wide secrets of an earlier one are forgotten. */
  constructor(debugEnabled = false) {
    this.debugEnabled = debugEnabled;
    forgetSecrets();
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${title}`);
    return fn();
  }
  /** Keeps the value, and registers it as the real loggers do, so errors made in a test are redacted alike. */
  setSecret(value: string): void {
    this.secrets.push(value);
    registerSecret(value);
  }
}
