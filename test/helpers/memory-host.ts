import type { Host, Outputs } from '../../src/log/host.js';
import { MemoryLogger } from '../../src/log/logger.js';

/** A Host that keeps everything a run says, for in-process end-to-end runs of a command. */
export class MemoryHost implements Host {
  readonly logger = new MemoryLogger();
  outputs: Outputs | undefined;
  summary = '';
  readonly state = new Map<string, string>();

  setOutputs(outputs: Outputs): void {
    this.outputs = outputs;
  }
  async writeSummary(markdown: string): Promise<void> {
    this.summary += markdown;
  }
  saveState(name: string, value: string): void {
    this.state.set(name, value);
  }
  /** Every log line, for assertions and for a readable failure message. */
  get log(): string {
    return this.logger.lines.join('\n');
  }
}
