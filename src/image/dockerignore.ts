import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Rule {
  pattern: RegExp;
  /** A `!pattern` line: brings back what an earlier line left out. */
  exception: boolean;
}

/**
 * What a build leaves out of its context, read as Docker reads it: `<Dockerfile>.dockerignore` beside the
 * Dockerfile when there is one, else the context's .dockerignore. Returns a test for a path relative to the
 * context (with /): true when Docker would not send it. Without a file, nothing is left out.
 */
export function dockerignoreFilter(context: string, dockerfile: string): (relative: string, isDirectory: boolean) => boolean {
  const file = [`${dockerfile}.dockerignore`, path.join(context, '.dockerignore')].find((f) => existsSync(f));
  const rules = file === undefined ? [] : parseDockerignore(readFileSync(file, 'utf8'));
  const hasExceptions = rules.some((r) => r.exception);
  // A folder left out may still hold a file a `!` line brings back: then it is looked into, file by file.
  return (relative, isDirectory) => ignored(rules, relative) && !(isDirectory && hasExceptions);
}

export function parseDockerignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    let cleaned = path.posix.normalize(line);
    if (cleaned.length > 1 && cleaned.startsWith('/')) cleaned = cleaned.slice(1);
    if (cleaned.endsWith('/') && cleaned.length > 1) cleaned = cleaned.slice(0, -1);
    rules.push({ pattern: toRegExp(cleaned), exception });
  }
  return rules;
}

/** The last rule that matches the path, or one of its parent folders, decides. */
export function ignored(rules: readonly Rule[], relative: string): boolean {
  const parents = relative.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let result = false;
  for (const rule of rules) {
    if (parents.some((p) => rule.pattern.test(p))) result = !rule.exception;
  }
  return result;
}

/** Go's filepath.Match syntax plus `**` (any number of folders), as Docker's pattern matcher reads it. */
function toRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        out += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        out += '\\[';
      } else {
        // Go's classes: [a-z], [^a-z] (no [!a-z]), which a regular expression reads the same way.
        out += `[${pattern.slice(i + 1, end)}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      out += escape(pattern[i + 1] as string);
      i++;
    } else {
      out += escape(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

function escape(ch: string): string {
  return /[.+^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
