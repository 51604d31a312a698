import { cell, codeBlock, codeCell } from './markdown.js';
import { formatDuration, type RunReport } from './report.js';

const STATUS_ICON = { ok: '✅', failed: '❌', skipped: '⏭️' } as const;

/** The job summary of a run, successful or not: what happened, then what to do. */
export function renderSummary(report: RunReport): string {
  const lines: string[] = [];
  const ok = !report.error;
  lines.push(`## model-canary ${report.command}: ${headline(report, ok)}`);
  lines.push('');
  lines.push(`Config: ${codeCell(report.configPath)}`);
  lines.push('');
  if (report.stages.length > 0) {
    lines.push('| Stage | Result | Time | Detail |');
    lines.push('| --- | --- | --- | --- |');
    for (const s of report.stages) {
      lines.push(`| ${cell(s.name)} | ${STATUS_ICON[s.status]} ${s.status} | ${formatDuration(s.durationMs)} | ${cell(s.detail)} |`);
    }
    lines.push('');
  }
  for (const section of report.sections) {
    lines.push(section, '');
  }
  if (report.error) {
    lines.push('### What went wrong');
    lines.push('');
    lines.push(codeBlock(report.error.message));
    if (report.error.hint) lines.push('', `**What to do:** ${cell(report.error.hint)}`);
    lines.push('');
  }
  const outputs = Object.entries(report.outputs).filter(([, v]) => v !== '');
  if (outputs.length > 0) {
    lines.push('### Outputs', '', '| Output | Value |', '| --- | --- |');
    for (const [k, v] of outputs) lines.push(`| \`${k}\` | ${codeCell(v)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * What happened, in a few words: a clean automatic rollback is a rollback (the canary was caught and
 * removed, stable untouched), not a generic failure, though the step still fails.
 */
function headline(report: RunReport, ok: boolean): string {
  const verdict = report.outputs.verdict;
  if (report.error?.kind === 'cancelled') return 'cancelled (the canary was removed, stable untouched)';
  if (verdict === 'rolled-back' && report.command === 'release') return '🔙 rolled back (the canary failed its checks and was removed; stable untouched)';
  if (verdict === 'held') return ok ? '⏸️ held (the canary waits for promote or rollback)' : '⏸️ held after a failure (decide.onFailure is hold)';
  return ok ? 'succeeded' : 'failed';
}
