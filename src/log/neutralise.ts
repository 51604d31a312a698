/*
 * Untrusted text on the runner's log must not become a workflow command. The runner (actions/runner,
 * ActionCommand.cs) reads stdout and stderr line by line, splitting at LF, CR and CRLF, and takes a line
 * as a command when, with leading white space trimmed, it starts with `::name ...::`, or when it holds the
 * legacy `##[name ...]` anywhere. So every line a log message is made of is neutralised here: a `::` at the
 * start (after any white space) gets a backslash before it, and every `##[` becomes `##\[`. The text stays
 * readable; only the commands model-canary issues itself (./workflow-commands.ts) start with `::`.
 */

/** White space .NET's TrimStart removes (and more: control and zero-width characters), before a `::`. */
// eslint-disable-next-line no-control-regex -- control characters are what the runner trims too
const COMMAND_START = /^([\s\u0000-\u001f\u007f-\u009f\u180e\u200b-\u200f\u2060\ufeff]*)::/u;
const LEGACY = /##\[/g;

/** One line, made harmless to the runner's command parser. */
function neutraliseLine(line: string): string {
  return line.replace(LEGACY, '##\\[').replace(COMMAND_START, '$1\\::');
}

/** The text with every line (split as the runner splits them) neutralised; line breaks become LF. */
export function neutralise(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(neutraliseLine)
    .join('\n');
}

/** JSON for a line-oriented stream the runner reads: `##[` inside strings is written as `##\u005b` (the same value). */
export function neutraliseJson(json: string): string {
  return neutralise(json.replace(LEGACY, '##\\u005b'));
}
