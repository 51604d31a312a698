import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '../exec/exec.js';
import { parseTrivyReport, type TrivyReport } from './report.js';

export interface TrivyRun {
  image: string;
  jsonPath: string;
  sarifPath: string;
  /** .trivyignore to honour; skipped when the file does not exist. */
  ignoreFile: string;
  secrets: boolean;
}

/**
 * One Trivy scan of the image (vulnerabilities, and secrets unless off) with every severity in the JSON
 * report; the SARIF is converted from that same report, so code scanning sees everything while the gate
 * decides on its own policy. Trivy's database and cache follow its own TRIVY_* environment variables.
 */
export async function runTrivy(exec: Exec, trivy: string, run: TrivyRun): Promise<TrivyReport> {
  mkdirSync(path.dirname(run.jsonPath), { recursive: true });
  mkdirSync(path.dirname(run.sarifPath), { recursive: true });
  const args = ['image', '--quiet', '--format', 'json', '--output', run.jsonPath];
  args.push('--scanners', run.secrets ? 'vuln,secret' : 'vuln', '--image-src', 'docker,remote', '--timeout', '30m');
  if (existsSync(run.ignoreFile)) args.push('--ignorefile', run.ignoreFile);
  args.push(run.image);
  await exec(trivy, args, {
    echo: true,
    timeoutMs: 35 * 60_000,
    failureHint: 'Trivy could not scan the image; its error is above. A first run downloads its vulnerability database, which needs network access.',
  });
  await exec(trivy, ['convert', '--quiet', '--format', 'sarif', '--output', run.sarifPath, run.jsonPath], { timeoutMs: 5 * 60_000 });
  return parseTrivyReport(readFileSync(run.jsonPath, 'utf8'));
}
