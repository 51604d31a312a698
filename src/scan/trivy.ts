import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '../exec/exec.js';
import { parseTrivyReport, type TrivyReport } from './report.js';
import { sarifInput } from './sarif-input.js';

export interface TrivyRun {
  image: string;
  /** In a private folder: the SARIF's input is written next to it. */
  jsonPath: string;
  sarifPath: string;
  /** .trivyignore to honour; skipped when the file does not exist. */
  ignoreFile: string;
  secrets: boolean;
}

/**
 * One Trivy scan of the image (vulnerabilities, and unless off secrets in its files and its config) with
 * every severity in the JSON report; the SARIF is converted from that same report, so code scanning sees
 * everything while the gate decides on its own policy. Trivy's database and cache follow its own TRIVY_* environment variables.
 */
export async function runTrivy(exec: Exec, trivy: string, run: TrivyRun): Promise<TrivyReport> {
  mkdirSync(path.dirname(run.jsonPath), { recursive: true });
  mkdirSync(path.dirname(run.sarifPath), { recursive: true });
  const args = ['image', '--quiet', '--format', 'json', '--output', run.jsonPath];
  args.push('--scanners', run.secrets ? 'vuln,secret' : 'vuln', '--image-src', 'docker,remote', '--timeout', '30m');
  // The secret scanner reads layer files only; ENV, LABEL and the history's ARG values need this too.
  if (run.secrets) args.push('--image-config-scanners', 'secret');
  if (existsSync(run.ignoreFile)) args.push('--ignorefile', run.ignoreFile);
  args.push(run.image);
  await exec(trivy, args, {
    echo: true,
    timeoutMs: 35 * 60_000,
    failureHint: 'Trivy could not scan the image; its error is above. A first run downloads its vulnerability database, which needs network access.',
  });
  const report = parseTrivyReport(readFileSync(run.jsonPath, 'utf8'));
  const convertible = path.join(path.dirname(run.jsonPath), 'trivy-for-sarif.json');
  writeFileSync(convertible, JSON.stringify(sarifInput(report)));
  await exec(trivy, ['convert', '--quiet', '--format', 'sarif', '--output', run.sarifPath, convertible], { timeoutMs: 5 * 60_000 });
  return report;
}
