import { ModelCanaryError } from '../errors.js';
import type { Logger } from './logger.js';
import { formatDuration, type RunReport } from './report.js';

/**
 * Runs one stage in its own log group and records it in the report. The stage's function returns a
 * one-line detail with its value; the group always ends with a line giving the elapsed time.
 */
export async function runStage<T>(logger: Logger, report: RunReport, name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> {
  const started = Date.now();
  return logger.group(name, async () => {
    try {
      const { value, detail } = await fn();
      const durationMs = Date.now() - started;
      report.stages.push({ name, status: 'ok', durationMs, detail });
      logger.info(`${name} finished in ${formatDuration(durationMs)}: ${detail}`);
      return value;
    } catch (err) {
      const durationMs = Date.now() - started;
      const detail = err instanceof ModelCanaryError ? (err.message.split('\n')[0] ?? err.message) : String(err);
      report.stages.push({ name, status: 'failed', durationMs, detail });
      logger.info(`${name} failed after ${formatDuration(durationMs)}`);
      throw err;
    }
  });
}
