/** One thing wrong with the config: where (a path into the document) and what to do about it. */
export interface Problem {
  path: readonly (string | number)[];
  message: string;
}

/** Dotted path as a user reads it: canary.weight, render.manifests[0]. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Splits an Ajv instancePath (/render/manifests/0) into segments, numbers for array indexes. */
export function splitPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Shows a config value in a message: strings quoted, long values shortened. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
