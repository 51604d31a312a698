import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorLine, fmtP, latencyLine, pct, type AnalysisRules } from './judge.js';
import type { WindowResult } from './window.js';
import { cell } from '../log/markdown.js';
import { liveErrorLine, liveLatencyLine, queryLine, type LiveVerdict } from './prometheus/judge.js';

/** The JSON report: the verdict, every figure, and every pair, for a person or a script to replay. */
export function writeAnalysisReport(file: string, result: WindowResult, meta: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { verdict, measurements, intervals } = result;
  writeFileSync(
    file,
    `${JSON.stringify({ ...meta, verdict, intervals, elapsedMs: measurements.elapsedMs, skipped: measurements.skipped, signals: measurements.signals, ...(measurements.live ? { live: measurements.live } : {}), ...(measurements.liveError ? { liveError: measurements.liveError.message } : {}), pairs: measurements.pairs }, null, 2)}\n`,
    { mode: 0o600 },
  );
}

/** The job summary's analysis section: the verdict line, the statistics table, and a chart per interval. */
export function analysisSection(result: WindowResult, rules: AnalysisRules, mode: 'enforce' | 'report', reportFile: string): string {
  const v = result.verdict;
  const icon = { pass: '✅', fail: '❌', inconclusive: '❔' }[v.outcome];
  const lines = [`### Analysis: ${icon} ${v.outcome}${mode === 'report' ? ' (analysis.mode report: shown, not acted on)' : ''}`, '', v.line, ''];
  lines.push(
    `Window ${(result.measurements.elapsedMs / 1000).toFixed(0)}s${result.extendedMs > 0 ? ` (extended by ${(result.extendedMs / 1000).toFixed(0)}s)` : ''}, ${v.counted} paired request(s) counted (minimum ${v.minSamples}); fixed-sample tests at the end of the window, no early stop on statistics.`,
    '',
  );
  lines.push('| Check | Result | Figures |', '| --- | --- | --- |');
  if (v.signal)
    lines.push(
      `| Pod watch | ${v.signal.track === 'canary' ? 'fail' : 'inconclusive'} | ${cell(`${v.signal.reason} on ${v.signal.track} pod ${v.signal.pod} at ${(v.signal.at / 1000).toFixed(1)}s: ${v.signal.detail}`)} |`,
    );
  else lines.push('| Pod watch | pass | no pod crashed, restarted or stopped being Ready |');
  if (v.latency) lines.push(`| Latency (margin ${pct(rules.margin)}) | ${v.latency.outcome} | ${cell(latencyLine(v.latency))} |`);
  else lines.push('| Latency | inconclusive | fewer than 2 pairs answered on both sides |');
  lines.push(`| Errors (limit ${pct(rules.maxErrorRate)}) | ${v.errors.outcome} | ${cell(errorLine(v.errors, rules))} |`);
  if (v.agreement)
    lines.push(
      `| Prediction agreement (minimum ${pct(rules.minAgreement)}) | ${v.agreement.outcome} | ${v.agreement.agreed} of ${v.agreement.compared} ${v.agreement.kind === 'classification' ? 'classes' : 'answers'} agree (${pct(v.agreement.rate)}) |`,
    );
  if (v.classes && v.classes.classes.length > 0) {
    const share = (side: 'canary' | 'stable'): string => (v.classes ? v.classes.classes.map((c) => `${c} ${v.classes?.[side][c] ?? 0}`).join(', ') : '');
    lines.push(
      `| Predicted classes | shown | canary: ${cell(share('canary'))}; stable: ${cell(share('stable'))}${v.classes.pValue !== undefined ? `; chi-square p=${fmtP(v.classes.pValue)}` : ''} |`,
    );
  }
  if (v.live) lines.push(...liveRows(v.live, rules));
  else if (result.measurements.liveError) lines.push(`| Live traffic (Prometheus) | error | ${cell(result.measurements.liveError.message)} |`);
  lines.push('');
  const chart = intervalChart(result);
  if (chart) lines.push(chart, '');
  lines.push(`Every pair is in \`${reportFile}\`.`);
  return lines.join('\n');
}

/** Median latency per interval, canary against stable, as a Mermaid chart (GitHub renders it in summaries). */
function intervalChart(result: WindowResult): string | undefined {
  const rows = result.intervals.filter((r) => r.pairs > 0);
  if (rows.length < 2) return undefined;
  const x = rows.map((r) => Math.round(r.endsAt / 1000));
  const series = (f: (r: (typeof rows)[number]) => number | undefined): string => `[${rows.map((r) => (f(r) ?? 0).toFixed(2)).join(', ')}]`;
  const top = Math.max(...rows.flatMap((r) => [r.canaryP50 ?? 0, r.stableP50 ?? 0])) * 1.2 || 1;
  const errs = rows.map((r) => `${Math.round(r.endsAt / 1000)}s: ${r.canaryErrors}/${r.stableErrors}`).join(', ');
  return [
    'Median latency per interval (ms): **canary is the first line, stable the second**.',
    '',
    '```mermaid',
    'xychart-beta',
    '  title "p50 latency per interval, canary vs stable"',
    `  x-axis "seconds into the window" [${x.join(', ')}]`,
    `  y-axis "ms" 0 --> ${top.toFixed(1)}`,
    `  line ${series((r) => r.canaryP50)}`,
    `  line ${series((r) => r.stableP50)}`,
    '```',
    '',
    `Errors per interval (canary/stable): ${errs}.`,
  ].join('\n');
}

/** The live-traffic rows of the statistics table (analysis.prometheus). */
function liveRows(live: LiveVerdict, rules: AnalysisRules): string[] {
  const rows = [
    `| Live 5xx (Prometheus, ${live.windowSeconds}s; limit ${pct(rules.maxErrorRate)}) | ${live.errors.outcome} | ${cell(liveErrorLine(live.errors, rules))} |`,
    `| Live latency (Prometheus; margin ${pct(rules.margin)}) | ${live.latency.outcome} | ${cell(live.latency.why ?? liveLatencyLine(live.latency))} |`,
  ];
  const classes = live.classes;
  if (classes) {
    const share = (side: 'canary' | 'stable'): string => {
      const total = classes.classes.reduce((n, c) => n + (classes[side][c] ?? 0), 0);
      return classes.classes.map((c) => `${c} ${total > 0 ? pct((classes[side][c] ?? 0) / total) : '-'}`).join(', ');
    };
    rows.push(
      `| Live predicted classes | shown | canary: ${cell(share('canary'))}; stable: ${cell(share('stable'))}${classes.pValue !== undefined ? `; chi-square p=${fmtP(classes.pValue)}` : ''} |`,
    );
  }
  for (const q of live.queries) rows.push(`| Query ${cell(q.name)} | ${q.outcome} | ${cell(queryLine(q))} |`);
  return rows;
}
