/**
 * GitHub Actions' runner protocol, as documented for workflow commands (`::name key=value::message` on
 * stdout) and environment files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), for the handful of
 * calls model-canary makes.
 *
 * Why not @actions/core: its one entry point loads its OIDC client, and with it @actions/http-client and
 * undici, at import; ncc cannot drop them, so every run paid about 1 MB of bundle and ~45 ms of start for
 * a token model-canary never asks for. test/unit/workflow-commands.test.ts runs these and @actions/core
 * side by side and requires the runner to receive exactly the same bytes, with one deliberate difference:
 * `info` neutralises what would start a workflow command (./neutralise.ts), where @actions/core writes the
 * text as it is.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { neutralise } from './neutralise.js';

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

/** What the runner expects for a value: text as is, nothing as '', anything else as JSON. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' || value instanceof String ? String(value) : JSON.stringify(value);
}

/** Percent-encodes the characters the protocol reserves: in messages %, CR, LF; in properties also : and ,. */
function encode(value: unknown, inProperty: boolean): string {
  const text = asText(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return inProperty ? text.replace(/:/g, '%3A').replace(/,/g, '%2C') : text;
}

/** Writes one workflow command line; empty properties are omitted. */
export function issueCommand(name: string, properties: Record<string, unknown>, message: unknown): void {
  const pairs = Object.entries(properties)
    .filter(([, v]) => Boolean(v))
    .map(([k, v]) => `${k}=${encode(v, true)}`);
  const head = Object.keys(properties).length > 0 ? `::${name} ${pairs.join(',')}` : `::${name}`;
  process.stdout.write(`${head}::${encode(message, false)}${EOL}`);
}

/** Appends `name<<DELIM`, the value and `DELIM` to an environment file, with a fresh random delimiter. */
function appendKeyValue(variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE', name: string, value: unknown): void {
  const file = process.env[variable] as string;
  if (!existsSync(file)) throw new Error(`${variable} names ${file}, which does not exist`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = asText(value);
  if (name.includes(delimiter) || text.includes(delimiter)) throw new Error(`${name}: the value contains the file delimiter`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

export function getInput(name: string, options: InputOptions = {}): string {
  const raw = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
  if (options.required && raw === '') throw new Error(`Input required and not supplied: ${name}`);
  return options.trimWhitespace === false ? raw : raw.trim();
}

export function getMultilineInput(name: string, options: InputOptions = {}): string[] {
  const lines = getInput(name, options)
    .split('\n')
    .filter((l) => l !== '');
  return options.trimWhitespace === false ? lines : lines.map((l) => l.trim());
}

export function setOutput(name: string, value: unknown): void {
  if (process.env['GITHUB_OUTPUT']) appendKeyValue('GITHUB_OUTPUT', name, value);
  else {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, value);
  }
}

export function saveState(name: string, value: unknown): void {
  if (process.env['GITHUB_STATE']) appendKeyValue('GITHUB_STATE', name, value);
  else issueCommand('save-state', { name }, value);
}

/** The runner hands state saved by main to post as STATE_<name>. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function isDebug(): boolean {
  return process.env['RUNNER_DEBUG'] === '1';
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

/** A plain log line (or several): never a workflow command, whatever the text holds. */
export function info(message: string): void {
  process.stdout.write(`${neutralise(message)}${EOL}`);
}

function annotation(kind: 'warning' | 'error', message: string | Error, where: AnnotationProperties): void {
  const properties =
    Object.keys(where).length === 0
      ? {}
      : { title: where.title, file: where.file, line: where.startLine, endLine: where.endLine, col: where.startColumn, endColumn: where.endColumn };
  issueCommand(kind, properties, message instanceof Error ? message.toString() : message);
}

export function warning(message: string | Error, where: AnnotationProperties = {}): void {
  annotation('warning', message, where);
}

export function error(message: string | Error, where: AnnotationProperties = {}): void {
  annotation('error', message, where);
}

export function startGroup(title: string): void {
  issueCommand('group', {}, title);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  startGroup(title);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

/** Appends markdown and a newline to the job summary file. */
export function appendSummary(markdown: string): Promise<void> {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  if (!file) return Promise.reject(new Error('GITHUB_STEP_SUMMARY is not set; this runner does not support job summaries'));
  return new Promise((resolve, reject) => appendFile(file, `${markdown}${EOL}`, { encoding: 'utf8' }, (err) => (err ? reject(err) : resolve())));
}
