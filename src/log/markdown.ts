/*
 * Untrusted text (a model or case name, a manifest's metadata.name, a stderr line, an error message) put
 * into the job summary or the pull-request comment: it must stay inside its table cell or code block and
 * bring no markup of its own (no extra columns or rows, no HTML, no links or images). Every summary and
 * comment builder uses these.
 */

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * Text for one table cell: on one line, with the characters that would end the cell (`|`, and `\` before
 * it), open HTML (`<`, `>`) or make a link or image (`[`, `]`) escaped.
 */
export function cell(text: string): string {
  return text
    .replace(LINE_BREAKS, ' ')
    .replace(/[\\|[\]]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Text shown as code in a table cell. A code span keeps HTML and links inert; text it cannot hold safely
 * (a backtick, a pipe or a backslash, which the table reads before the span) is shown as a plain cell.
 */
export function codeCell(text: string): string {
  const flat = text.replace(LINE_BREAKS, ' ');
  return flat === '' || /[`|\\]/.test(flat) ? cell(flat) : `\`${flat}\``;
}

/** A fenced code block that the text cannot close: the fence is longer than any run of backticks in it. */
export function codeBlock(text: string, info = 'text'): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}
