import type { Severity } from '../config/types.js';

/** The parts of Trivy's JSON report (SchemaVersion 2) the gate reads. */
export interface TrivyReport {
  SchemaVersion?: number;
  ArtifactName?: string;
  Results?: TrivyResult[];
}

export interface TrivyResult {
  Target: string;
  Class?: string;
  Type?: string;
  Vulnerabilities?: TrivyVulnerability[] | null;
  Secrets?: TrivySecret[] | null;
}

export interface TrivyVulnerability {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: Severity | string;
  Title?: string;
  Status?: string;
}

export interface TrivySecret {
  RuleID: string;
  Category?: string;
  Severity?: string;
  Title?: string;
  StartLine?: number;
}

/** Reads Trivy's JSON output, failing clearly on anything that is not a Trivy report. */
export function parseTrivyReport(text: string): TrivyReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('Trivy did not write a JSON report');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Trivy report is not a JSON object');
  return parsed as TrivyReport;
}
