import type { Host, Outputs } from './host.js';
import type { Annotation, Logger } from './logger.js';
import { redact, registerSecret } from '../exec/redact.js';
import * as core from './workflow-commands.js';

/**
 * Logger for GitHub Actions: workflow commands in @actions/core's exact format (./workflow-commands.ts
 * says why that module rather than @actions/core, and a unit test holds the two to the same output).
 * Secrets are masked twice: by the runner (add-mask) and here, redacted before anything is written.
 * Plain lines cannot start a workflow command (core.info neutralises them); debug, annotations and group
 * titles are percent-encoded into the one command line model-canary writes.
 */
export class ActionsLogger implements Logger {
  readonly debugEnabled = core.isDebug();
  debug(message: string): void {
    core.debug(redact(message));
  }
  info(message: string): void {
    core.info(redact(message));
  }
  warn(message: string, where?: Annotation): void {
    core.warning(redact(message), toProperties(where));
  }
  error(message: string, where?: Annotation): void {
    core.error(redact(message), toProperties(where));
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(redact(title), fn);
  }
  setSecret(value: string): void {
    if (!value) return;
    registerSecret(value);
    core.setSecret(value);
  }
}

function toProperties(where: Annotation | undefined): core.AnnotationProperties {
  const props: core.AnnotationProperties = {};
  if (where?.title !== undefined) props.title = redact(where.title);
  if (where?.file !== undefined) props.file = redact(where.file);
  if (where?.startLine !== undefined) props.startLine = where.startLine;
  return props;
}

export function createActionsHost(): Host {
  return {
    logger: new ActionsLogger(),
    setOutputs(outputs: Outputs): void {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, redact(value));
    },
    async writeSummary(markdown: string): Promise<void> {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      await core.appendSummary(redact(markdown));
    },
    saveState(name: string, value: string): void {
      core.saveState(name, value);
    },
  };
}
