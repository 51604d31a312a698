/** Replaces every registered secret in text with ***; longest first so overlapping secrets vanish whole. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const ordered = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of ordered) out = out.split(secret).join('***');
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
