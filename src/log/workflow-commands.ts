/**
 * The few GitHub Actions workflow commands model-canary uses, written the way @actions/core 3.0.1 writes
 * them (same formats, same escaping, same file-command framing, same error messages).
 *
 * Why not @actions/core itself: its only entry point (package exports allow nothing but ".") imports
 * its OIDC client at load time, which imports @actions/http-client and undici; ncc cannot drop them (the
 * package declares no sideEffects), so importing core put about 1 MB of bundle and ~45 ms on the start of
 * every run, for a token model-canary never asks for. test/unit/workflow-commands.test.ts runs these
 * functions and @actions/core's side by side against temp files and asserts identical output, so a
 * change of format in a new @actions/core fails there.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, constants, existsSync } from 'node:fs';
import { access, appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';

/** Where an annotation points (the subset of core.AnnotationProperties model-canary uses, plus the rest). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface InputOptions {
  required?: boolean;
  trimWhitespace?: boolean;
}

type CommandProperties = Record<string, unknown>;

/** Strings pass through; null and undefined become ''; anything else is JSON. (core's toCommandValue) */
export function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || input instanceof String) return String(input);
  return JSON.stringify(input);
}

function escapeData(s: unknown): string {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: unknown): string {
  return toCommandValue(s)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/:/g, '%3A')
    .replace(/,/g, '%2C');
}

/** `::command key=value,key=value::message`; properties with a falsy value are left out, as core does. */
function formatCommand(command: string, properties: CommandProperties, message: unknown): string {
  let text = `::${command || 'missing.command'}`;
  const keys = Object.keys(properties);
  if (keys.length > 0) {
    text += ' ';
    let first = true;
    for (const key of keys) {
      const value = properties[key];
      if (!value) continue;
      if (!first) text += ',';
      first = false;
      text += `${key}=${escapeProperty(value)}`;
    }
  }
  return `${text}::${escapeData(message)}`;
}

export function issueCommand(command: string, properties: CommandProperties, message: unknown): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL);
}

function toCommandProperties(props: AnnotationProperties): CommandProperties {
  if (!Object.keys(props).length) return {};
  return {
    title: props.title,
    file: props.file,
    line: props.startLine,
    endLine: props.endLine,
    col: props.startColumn,
    endColumn: props.endColumn,
  };
}

function issueFileCommand(command: string, message: string): void {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
  appendFileSync(filePath, `${toCommandValue(message)}${EOL}`, { encoding: 'utf8' });
}

function prepareKeyValueMessage(key: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const converted = toCommandValue(value);
  if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (converted.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}

// ---- inputs and state -----------------------------------------------------------------------------

export function getInput(name: string, options?: InputOptions): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`);
  if (options?.trimWhitespace === false) return value;
  return value.trim();
}

export function getMultilineInput(name: string, options?: InputOptions): string[] {
  const lines = getInput(name, options)
    .split('\n')
    .filter((line) => line !== '');
  if (options?.trimWhitespace === false) return lines;
  return lines.map((line) => line.trim());
}

export function setOutput(name: string, value: unknown): void {
  if (process.env['GITHUB_OUTPUT'] || '') return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, toCommandValue(value));
}

export function saveState(name: string, value: unknown): void {
  if (process.env['GITHUB_STATE'] || '') return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
  issueCommand('save-state', { name }, toCommandValue(value));
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

// ---- logging ----------------------------------------------------------------------------------------

export function isDebug(): boolean {
  return process.env['RUNNER_DEBUG'] === '1';
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

// ---- job summary --------------------------------------------------------------------------------------

/** Appends text and a newline to the job summary: what core.summary.addRaw(text, true).write() does. */
export async function appendSummary(text: string): Promise<void> {
  const filePath = process.env['GITHUB_STEP_SUMMARY'];
  if (!filePath) {
    throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
  }
  try {
    await access(filePath, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${filePath}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(filePath, text + EOL, { encoding: 'utf8' });
}
