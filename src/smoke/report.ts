import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { Outputs } from '../log/host.js';
import type { SmokeReport } from './types.js';
import { cell } from '../log/markdown.js';

/** Where the JSON report goes: under the run's temp folder, else the workspace's .model-canary/. */
export function reportPath(config: Config): string {
  const base = config.run.tempDir ? path.join(config.run.tempDir, 'model-canary') : path.join(config.run.workspace, '.model-canary');
  const id = config.run.runId.replace(/[^A-Za-z0-9._-]+/g, '-');
  return path.join(base, `smoke-${config.model.name}-${id}.json`);
}

export function writeReport(report: SmokeReport): void {
  mkdirSync(path.dirname(report.path), { recursive: true });
  writeFileSync(report.path, `${JSON.stringify(report, null, 2)}\n`);
}

const pct = (x: number): string => `${(Math.round(x * 10000) / 100).toString()}%`;
const ms = (x: number): string => `${x} ms`;

/** The action outputs of a smoke run. */
export function smokeOutputs(report: SmokeReport): Partial<Outputs> {
  return {
    verdict: report.verdict === 'pass' ? 'passed' : 'failed',
    'error-rate': String(Math.round(report.errorRate * 10000) / 10000),
    'p95-ms': String(report.p95Ms),
    report: report.path,
  };
}

/** Log lines: per pod and overall, then each failure. Written from the report, like the summary. */
export function logReport(report: SmokeReport, logger: Logger): void {
  logger.info(
    `Smoke ${report.verdict === 'pass' ? 'passed' : 'FAILED'}: ${report.cases} case(s) on ${report.pods.length} canary pod(s) of ${report.deployment} revision ${report.revision} (ReplicaSet ${report.replicaSet}) via ${report.transport}, in ${report.durationMs} ms`,
  );
  for (const p of [...report.pods, report.overall]) {
    logger.info(
      `  ${p.pod}: ${p.requests} request(s), ${p.failed} error(s) (${pct(p.errorRate)}), p50 ${ms(p.latency.p50Ms)}, p95 ${ms(p.latency.p95Ms)}, p99 ${ms(p.latency.p99Ms)}`,
    );
  }
  const par = report.parity;
  if (par.enabled && par.agreement !== undefined) {
    logger.info(
      `  parity with stable (${par.stablePods.join(', ')}): ${par.kind}, agreement ${pct(par.agreement)}${par.maxRelativeError !== undefined ? `, max relative error ${par.maxRelativeError.toPrecision(3)}` : ''}`,
    );
  } else if (par.note) logger.info(`  parity: ${par.note}`);
  for (const line of jobLines(report)) logger.info(`  ${line}`);
  for (const f of report.failures) logger.info(`  ✗ ${f}`);
  logger.info(`  report: ${report.path}`);
}

/** One error annotation per failing case, naming the pods and why. */
export function annotateFailures(report: SmokeReport, logger: Logger): void {
  for (const name of report.failingCases) {
    const failed = report.results.filter((r) => r.track === 'canary' && r.case === name && r.verdict === 'fail');
    const why = [...new Set(failed.flatMap((r) => r.why))];
    const pods = [...new Set(failed.map((r) => r.pod))];
    logger.error(`Smoke case "${name}" failed on ${pods.join(', ')}: ${why.join('; ')}`, { title: `Smoke case ${name} failed` });
  }
}

/** The asynchronous cases' jobs, per track: how many, and the median queue wait and service time their answers gave. */
export function jobLines(report: Pick<SmokeReport, 'results'>): string[] {
  const median = (values: number[]): number | undefined => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length === 0 ? undefined : sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  const lines: string[] = [];
  for (const track of ['canary', 'stable'] as const) {
    const jobs = report.results.filter((r) => r.track === track && r.job);
    if (jobs.length === 0) continue;
    const wait = median(jobs.flatMap((r) => (r.job?.queueWaitMs !== undefined ? [r.job.queueWaitMs] : [])));
    const service = median(jobs.flatMap((r) => (r.job?.serviceMs !== undefined ? [r.job.serviceMs] : [])));
    lines.push(
      `jobs on ${track}: ${jobs.length}, queue wait p50 ${wait === undefined ? '-' : ms(wait)}, service time p50 ${service === undefined ? '-' : ms(service)}`,
    );
  }
  return lines;
}

/** The job summary section. */
export function smokeSection(report: SmokeReport, thresholds: Config['smoke']['thresholds']): string {
  const lines = [
    `### Smoke: ${report.verdict === 'pass' ? '✅ passed' : '❌ failed'}`,
    '',
    `${report.cases} case(s) × ${report.pods.length} canary pod(s) of \`${report.namespace}/${report.deployment}\` revision ${report.revision} (ReplicaSet \`${report.replicaSet}\`), ${report.protocol}, via ${report.transport}${report.transportNote ? ` (${cell(report.transportNote)})` : ''}.`,
    '',
    '| Pod | Via | Requests | Errors | Error rate | p50 | p95 | p99 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[...report.pods, report.overall].map(
      (p) =>
        `| ${cell(p.pod)} | ${p.transport} | ${p.requests} | ${p.failed} | ${pct(p.errorRate)} | ${ms(p.latency.p50Ms)} | ${ms(p.latency.p95Ms)} | ${ms(p.latency.p99Ms)} |`,
    ),
    '',
    `Limits: error rate ≤ ${pct(thresholds.errorRate)}, p95 ≤ ${thresholds.p95Ms} ms${thresholds.p50Ms ? `, p50 ≤ ${thresholds.p50Ms} ms` : ''}${thresholds.p99Ms ? `, p99 ≤ ${thresholds.p99Ms} ms` : ''}.`,
    report.parity.enabled && report.parity.agreement !== undefined
      ? `Parity with stable: ${report.parity.kind}, ${pct(report.parity.agreement)} agree${report.parity.maxRelativeError !== undefined ? `, max relative error ${report.parity.maxRelativeError.toPrecision(3)}` : ''} (${report.parity.passed ? 'ok' : 'failed'}).`
      : `Parity: ${report.parity.note ?? 'not compared'}.`,
  ];
  const jobs = jobLines(report);
  if (jobs.length > 0) lines.push('', ...jobs.map((l) => `${cell(l)}.`));
  if (report.failures.length > 0) lines.push('', '**Why it failed**', '', ...report.failures.map((f) => `- ${cell(f)}`));
  const failed = report.results.filter((r) => r.track === 'canary' && r.verdict === 'fail');
  if (failed.length > 0) {
    lines.push('', '| Case | Pod | Status | Latency | Why |', '| --- | --- | --- | --- | --- |');
    for (const r of failed.slice(0, 30))
      lines.push(`| ${cell(r.case)} | ${cell(r.pod)} | ${r.status || '-'} | ${ms(r.latencyMs)} | ${cell(r.why.join('; '))} |`);
    if (failed.length > 30) lines.push('', `…and ${failed.length - 30} more in the JSON report.`);
  }
  lines.push('', `JSON report: \`${report.path}\``);
  return lines.join('\n');
}
