/*
 * The run's secrets, process-wide: every value a logger is told to mask (the inputs' credentials, the
 * registry password, values a command was given) is registered here, and every error message, stderr tail,
 * log line, summary and output is redacted against all of them, not only the ones a caller knows about.
 * Process-wide because errors are made deep in code that has no logger (src/errors.ts redacts each one).
 */
const registered = new Set<string>();

/** Adds a value to redact from now on; empty and whitespace-only values are ignored. */
export function registerSecret(value: string): void {
  if (value.trim() !== '') registered.add(value);
}

/** Forgets every registered secret: a new run in the same process (the tests' in-memory hosts) starts clean. */
export function forgetSecrets(): void {
  registered.clear();
}

/** Replaces every registered secret, and each of extra, with ***; longest first so overlapping secrets vanish whole. */
export function redact(text: string, extra: readonly string[] = []): string {
  if (text === '') return text;
  let out = text;
  const ordered = [...new Set([...registered, ...extra])].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** Renders argv the way a person would retype it, for logs and error messages only (never executed). */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteForDisplay).join(' ');
}

function quoteForDisplay(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The last n non-empty lines of text. */
export function lastLines(text: string, n: number): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(-n).join('\n');
}
