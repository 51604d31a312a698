import { parse as parseYaml } from 'yaml';
import { userError } from '../errors.js';

const MAX_LIST_INDEX = 1000;

/**
 * Applies `path=value` overrides (the CLI's --set, the action's `set` input) to the parsed model file.
 * The value is read as a YAML scalar, so `canary.weight=20` sets a number and `push=false` a boolean;
 * quote it (`model.version="1.0"`) to keep a string. Numeric segments index arrays.
 */
export function applyOverrides(document: Record<string, unknown>, overrides: readonly string[]): void {
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) {
      throw userError(`--set "${override}" is not path=value.`, 'Write it as, for example, --set canary.weight=20.');
    }
    const keyPath = override.slice(0, eq).trim();
    const segments = keyPath.split('.');
    if (segments.some((s) => s === '' || s === '__proto__' || s === 'constructor' || s === 'prototype')) {
      throw userError(`--set "${override}" has an invalid path "${keyPath}".`, 'Use dotted keys such as smoke.thresholds.p95Ms.');
    }
    let value: unknown;
    try {
      value = parseYaml(override.slice(eq + 1));
    } catch {
      value = override.slice(eq + 1);
    }
    if (value !== null && typeof value === 'object') {
      throw userError(`--set "${override}" sets ${keyPath} to a list or mapping.`, 'Set one scalar value per --set.');
    }
    setPath(document, segments, value, override);
  }
}

function setPath(root: Record<string, unknown>, segments: string[], value: unknown, override: string): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    const nextIsIndex = /^\d+$/.test(segments[i + 1] as string);
    const current: unknown = Array.isArray(node) ? node[listIndex(node, key, override)] : node[key];
    let child: Record<string, unknown> | unknown[];
    if (current !== null && typeof current === 'object') child = current as Record<string, unknown> | unknown[];
    else {
      child = nextIsIndex ? [] : {};
      if (Array.isArray(node)) node[listIndex(node, key, override)] = child;
      else node[key] = child;
    }
    node = child;
  }
  const last = segments[segments.length - 1] as string;
  if (Array.isArray(node)) node[listIndex(node, last, override)] = value;
  else node[last] = value;
}

/**
 * A segment that indexes a list: at most MAX_LIST_INDEX, and at most one past the end, since a gap would
 * leave empty items, each reported as a problem, and a huge index a huge list to validate and render.
 */
function listIndex(list: unknown[], segment: string, override: string): number {
  const index = Number(segment);
  if (!/^\d+$/.test(segment) || index > MAX_LIST_INDEX) {
    throw userError(
      `--set "${override}" indexes a list with ${JSON.stringify(segment)}; an index is a number from 0 (the first item) to ${MAX_LIST_INDEX}.`,
      `Give an index from 0 to ${MAX_LIST_INDEX}; a list in the model file holds at most ${MAX_LIST_INDEX + 1} items.`,
    );
  }
  if (index > list.length) {
    throw userError(
      `--set "${override}" sets item ${index} of a list that has ${list.length} item(s), which would leave a gap.`,
      `Set the items in order: the next one is index ${list.length}.`,
    );
  }
  return index;
}
