import type { Host, Outputs } from './host.js';
import type { Annotation, Logger } from './logger.js';
import * as core from './workflow-commands.js';

/**
 * Logger for GitHub Actions: workflow commands in @actions/core's exact format (./workflow-commands.ts
 * says why that module rather than @actions/core, and a unit test holds the two to the same output).
 */
export class ActionsLogger implements Logger {
  readonly debugEnabled = core.isDebug();
  debug(message: string): void {
    core.debug(message);
  }
  info(message: string): void {
    core.info(message);
  }
  warn(message: string, where?: Annotation): void {
    core.warning(message, toProperties(where));
  }
  error(message: string, where?: Annotation): void {
    core.error(message, toProperties(where));
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(title, fn);
  }
  setSecret(value: string): void {
    if (value) core.setSecret(value);
  }
}

function toProperties(where: Annotation | undefined): core.AnnotationProperties {
  const props: core.AnnotationProperties = {};
  if (where?.title !== undefined) props.title = where.title;
  if (where?.file !== undefined) props.file = where.file;
  if (where?.startLine !== undefined) props.startLine = where.startLine;
  return props;
}

export function createActionsHost(): Host {
  return {
    logger: new ActionsLogger(),
    setOutputs(outputs: Outputs): void {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    },
    async writeSummary(markdown: string): Promise<void> {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      await core.appendSummary(markdown);
    },
    saveState(name: string, value: string): void {
      core.saveState(name, value);
    },
  };
}
