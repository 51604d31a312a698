import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltImage } from '../image/index.js';
import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import { resolveTool } from '../tools/resolve.js';
import { applyGate, describeBlocking, type GateResult } from './gate.js';
import { runTrivy } from './trivy.js';

export interface ScanVerdict {
  passed: boolean;
  sarifPath: string;
  reportPath: string;
  gate: GateResult;
}

/** Scans the built image with Trivy, writes the full SARIF, and applies the severity gate. */
export async function scanImage(config: Config, image: BuiltImage, ctx: StageContext): Promise<ScanVerdict> {
  const { logger } = ctx.host;
  const trivy = (await resolveTool('trivy', ctx.tools)).path;
  // The report the gate decides on lives in a folder only this user can enter (mkdtemp makes it 0700),
  // so no other local user can plant or swap it between Trivy writing it and the gate reading it.
  const reportDir = await mkdtemp(path.join(config.run.tempDir, `model-canary-scan-${config.model.name}-`));
  const reportPath = path.join(reportDir, 'trivy.json');
  const report = await runTrivy(ctx.exec, trivy, {
    image: image.reference,
    jsonPath: reportPath,
    sarifPath: config.scan.sarif,
    ignoreFile: config.scan.ignoreFile,
    secrets: config.scan.secrets !== 'off',
  });
  const gate = applyGate(report, { failOn: config.scan.failOn, ignoreUnfixed: config.scan.ignoreUnfixed, secrets: config.scan.secrets });
  const counts = Object.entries(gate.counts)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  logger.info(`Vulnerabilities: ${counts}; secrets: ${gate.secrets.length}. Full SARIF: ${config.scan.sarif}`);
  if (config.scan.secrets === 'warn') for (const s of gate.secrets) logger.warn(`secret ${s.rule} in ${s.target}: ${s.title}`);
  const verdict: ScanVerdict = { passed: gate.passed, sarifPath: config.scan.sarif, reportPath, gate };
  if (!gate.passed) {
    const lines = describeBlocking(gate);
    for (const line of lines) logger.error(line);
    throw new ModelCanaryError(
      'model',
      `The scan gate failed on ${lines.length} finding(s) (failing on ${config.scan.failOn.join(', ')}${config.scan.ignoreUnfixed ? ', fixed only' : ''}):\n${lines.map((l) => `  - ${l}`).join('\n')}`,
      'Update the packages (rebuild on a newer base image), or accept a finding by adding its ID to .trivyignore with a comment saying why.',
    );
  }
  return verdict;
}
