import type { ErrorObject } from 'ajv';
import { formatPath, show, splitPointer, type Problem } from './problem.js';
import { closest } from './suggest.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  description?: string;
  'x-hint'?: string;
  enum?: unknown[];
  const?: unknown;
}

/** The value at a document path and the text it was written as (`1.0` for the number 1), when known. */
export type SourceLookup = (path: readonly (string | number)[]) => { value: unknown; source: string } | undefined;

/** Turns one Ajv error into a sentence that names the path, the value and the fix. */
export function describeSchemaError(error: ErrorObject, sourceAt?: SourceLookup): Problem | undefined {
  const path = splitPointer(error.instancePath);
  const at = formatPath(path);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const hint = parent['x-hint'];
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(parent.properties ?? {});
      const fullPath = formatPath([...path, key]);
      const guess = closest(key, allowed);
      return {
        path: [...path, key],
        message: guess ? `unknown key ${fullPath}; did you mean \`${guess}\`?` : `unknown key ${fullPath}; remove it (allowed here: ${allowed.join(', ')})`,
      };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const fullPath = formatPath([...path, key]);
      const description = parent.properties?.[key]?.description;
      return { path: [...path, key], message: `${fullPath} is required${description ? `: ${lowerFirst(description)}` : ''}` };
    }
    case 'type': {
      const expected = String(params['type']).replace(',', ' or ');
      // YAML reads `version: 1.0` as the number 1: quote what the user wrote, not what YAML made of it.
      const written = sourceAt?.(path);
      const source = written && written.value === data ? written.source : undefined;
      return { path, message: `${at}: expected ${article(expected)}, got ${typeName(data)} ${show(data)}${typeFix(expected, data, source)}` };
    }
    case 'enum': {
      const allowed = (error.schema as unknown[]).map(String);
      const guess = typeof data === 'string' ? closest(data, allowed) : undefined;
      return {
        path,
        message: `${at}: ${show(data)} is not one of ${allowed.join(', ')}${guess ? `; did you mean \`${guess}\`?` : ''}`,
      };
    }
    case 'const':
      return { path, message: `${at}: ${show(data)} is not supported${hint ? `; ${hint}` : `; use ${show(error.schema)}`}` };
    case 'maximum':
      return { path, message: `${at}: ${show(data)} is over ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
    case 'exclusiveMaximum':
      return { path, message: `${at}: ${show(data)} must be under ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
    case 'minimum':
      return { path, message: `${at}: ${show(data)} is under ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
    case 'exclusiveMinimum':
      return { path, message: `${at}: ${show(data)} must be over ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
    case 'pattern':
      return { path, message: `${at}: ${show(data)} is not valid${hint ? `; ${hint}` : ` (must match ${String(params['pattern'])})`}` };
    case 'maxLength':
      return { path, message: `${at}: ${show(data)} is longer than ${String(params['limit'])} characters${hint ? `; ${hint}` : ''}` };
    case 'minLength':
      return { path, message: `${at} is empty; give a value or remove the key` };
    case 'maxItems':
      return {
        path,
        message: `${at} has ${Array.isArray(data) ? data.length : 'too many'} items, over the limit of ${String(params['limit'])}${hint ? `; ${hint}` : ''}`,
      };
    case 'maxProperties':
      return {
        path,
        message: `${at} has ${isMapping(data) ? Object.keys(data).length : 'too many'} keys, over the limit of ${String(params['limit'])}${hint ? `; ${hint}` : ''}`,
      };
    case 'minItems':
      return { path, message: `${at} needs at least ${String(params['limit'])} item(s)` };
    case 'uniqueItems':
      return { path, message: `${at} lists the same value twice (items ${String(params['j'])} and ${String(params['i'])}); remove one` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined; // their branches report the useful errors
    default:
      return { path, message: `${at}: ${error.message ?? 'is invalid'}` };
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'integer') return 'a whole number';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeFix(expected: string, data: unknown, source?: string): string {
  if ((expected === 'number' || expected === 'integer') && typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data))) {
    return '; write the number without quotes';
  }
  if (expected === 'integer' && typeof data === 'number') return '; use a whole number';
  if (expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')) {
    return `; quote it ("${source ?? String(data)}") to keep it as text`;
  }
  if (expected === 'boolean' && typeof data === 'string') return '; write true or false without quotes';
  return '';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
