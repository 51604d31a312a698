import type { Level, Severity } from '../config/types.js';
import type { TrivyReport } from './report.js';

export interface VulnerabilityFinding {
  id: string;
  pkg: string;
  installed: string;
  fixed: string;
  severity: string;
  title: string;
  target: string;
}

export interface SecretFinding {
  rule: string;
  title: string;
  target: string;
  line?: number;
}

export interface GatePolicy {
  failOn: Severity[];
  ignoreUnfixed: boolean;
  secrets: Level;
}

export interface GateResult {
  passed: boolean;
  /** Vulnerabilities that fail the gate, most severe first. */
  blocking: VulnerabilityFinding[];
  /** Every vulnerability in the report, by severity. */
  counts: Record<string, number>;
  secrets: SecretFinding[];
  /** True when the secrets found fail the gate (secrets level error). */
  secretsBlock: boolean;
}

const ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** Decides the scan verdict from Trivy's JSON report (Trivy has already applied .trivyignore). */
export function applyGate(report: TrivyReport, policy: GatePolicy): GateResult {
  const counts: Record<string, number> = Object.fromEntries(ORDER.map((s) => [s, 0]));
  const blocking: VulnerabilityFinding[] = [];
  const secrets: SecretFinding[] = [];
  const seen = new Set<string>();
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      const key = `${v.VulnerabilityID}|${v.PkgName}|${v.InstalledVersion}|${result.Target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const severity = ORDER.includes(v.Severity) ? v.Severity : 'UNKNOWN';
      counts[severity] = (counts[severity] ?? 0) + 1;
      const fixed = v.FixedVersion ?? '';
      if (!policy.failOn.includes(severity as Severity)) continue;
      if (policy.ignoreUnfixed && fixed === '') continue;
      blocking.push({ id: v.VulnerabilityID, pkg: v.PkgName, installed: v.InstalledVersion, fixed, severity, title: v.Title ?? '', target: result.Target });
    }
    // Trivy names a finding of --image-config-scanners after the image; its line is one of Trivy's own
    // rendering of the config, which means nothing to the user.
    const inConfig = result.Target === report.ArtifactName;
    for (const s of result.Secrets ?? []) {
      const finding: SecretFinding = {
        rule: s.RuleID,
        title: s.Title ?? s.RuleID,
        target: inConfig ? 'the image config (ENV, LABEL or build history)' : result.Target,
      };
      if (s.StartLine !== undefined && !inConfig) finding.line = s.StartLine;
      secrets.push(finding);
    }
  }
  blocking.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
  const secretsBlock = policy.secrets === 'error' && secrets.length > 0;
  return { passed: blocking.length === 0 && !secretsBlock, blocking, counts, secrets, secretsBlock };
}

/** One line per blocking finding: package, installed and fixed version, ID. */
export function describeBlocking(result: GateResult): string[] {
  const lines = result.blocking.map(
    (f) => `${f.severity} ${f.id} in ${f.pkg} ${f.installed} (${f.fixed ? `fixed in ${f.fixed}` : 'no fix yet'})${f.title ? `: ${f.title}` : ''}`,
  );
  if (result.secretsBlock) lines.push(...result.secrets.map((s) => `SECRET ${s.rule} in ${s.target}${s.line ? `:${s.line}` : ''}: ${s.title}`));
  return lines;
}
