import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createExec, type ExecOptions, type ExecResult } from '../../src/exec/exec.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { REGISTRY, REPO_ROOT } from './cluster-env.js';

// The real Trivy, offline, against a small vulnerability database built here in Trivy's own format
// (cluster/trivy-db.sh, from test/fixtures/trivy/advisories.yaml) and the real Debian base image in the
// local registry. The advisories are invented (MCTEST-nnnn) but name packages the image really carries.

const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
const ADVISORIES = path.join(REPO_ROOT, 'test', 'fixtures', 'trivy', 'advisories.yaml');
const BASE = `${REGISTRY}/model-canary/debian-python`;
const BASE_TAG = `${BASE}:bookworm`;

function trivyVersion(): string {
  const line = readFileSync(path.join(REPO_ROOT, 'cluster', 'versions.env'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('TRIVY_VERSION='));
  if (!line) throw new Error('TRIVY_VERSION missing from cluster/versions.env');
  return line.slice('TRIVY_VERSION='.length).trim();
}
const TRIVY_VERSION = trivyVersion();
const TRIVY = path.join(CACHE, 'bin', `trivy-${TRIVY_VERSION}`, 'trivy');

/** What Trivy must report: the planted advisories (the rest of the fixture are controls it must not report). */
const PLANTED: Record<string, { source: string; severity: string; fixedVersion?: string; sarifLevel: string; binary: string }> = {
  'MCTEST-0001': { source: 'zlib', severity: 'CRITICAL', fixedVersion: '1:1.2.13.dfsg-2', sarifLevel: 'error', binary: 'zlib1g' },
  'MCTEST-0002': { source: 'python3.11', severity: 'HIGH', sarifLevel: 'error', binary: 'python3.11' }, // unfixed
  'MCTEST-0003': { source: 'bzip2', severity: 'MEDIUM', fixedVersion: '1.0.8-6', sarifLevel: 'warning', binary: 'libbz2-1.0' },
  'MCTEST-0004': { source: 'tar', severity: 'LOW', fixedVersion: '1.34+dfsg-1.3', sarifLevel: 'note', binary: 'tar' },
};
const UNFIXED = 'MCTEST-0002';
/** Already fixed in the installed version; another Debian release; a package the image does not carry. */
const CONTROLS = ['MCTEST-0005', 'MCTEST-0006', 'MCTEST-0007'];

interface Vulnerability {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Status: string;
  Severity: string;
  SeveritySource?: string;
  Title?: string;
  DataSource?: { ID: string };
  CVSS?: Record<string, { V3Score?: number; V3Vector?: string }>;
}
interface Secret {
  RuleID: string;
  Category: string;
  Severity: string;
  Title: string;
  Match: string;
}
interface Report {
  SchemaVersion: number;
  ArtifactName: string;
  Metadata: { OS?: { Family: string; Name: string }; RepoDigests?: string[] };
  Results?: { Target: string; Class: string; Type?: string; Vulnerabilities?: Vulnerability[]; Secrets?: Secret[] }[];
}
interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; properties: { tags: string[]; 'security-severity': string } }[] } };
    results: { ruleId: string; level: string; message: { text: string } }[];
  }[];
}
interface Installed {
  name: string;
  version: string;
  source: string;
  sourceVersion: string;
}

const exec = createExec(new MemoryLogger());
/** Trivy reads TRIVY_* variables as flags: none from the caller's environment may change these runs. */
const NO_TRIVY_ENV = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith('TRIVY_'))
    .map((k) => [k, undefined]),
);

let cacheDir = '';
let baseRef = ''; // the base image pinned by digest: every scan and the dpkg ground truth see the same image
let baseReport: Report;
let installed: Installed[] = [];
let secretImage = '';
let keyBody = '';

function trivy(args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return exec(TRIVY, args, { timeoutMs: 240_000, ...options, env: { ...NO_TRIVY_ENV, ...options.env } });
}

/** The flags that keep Trivy offline on the database built here. */
function offline(): string[] {
  return [
    '--cache-dir',
    cacheDir,
    '--cache-backend',
    'memory', // keep Trivy's layer cache out of the shared database folder
    '--skip-db-update',
    '--skip-java-db-update',
    '--offline-scan',
    '--skip-version-check',
    '--disable-telemetry',
    '--quiet',
  ];
}

async function scanBase(extra: string[], image = baseRef): Promise<Report> {
  const result = await trivy(['image', ...offline(), '--insecure', '--image-src', 'remote', '--scanners', 'vuln', '--format', 'json', ...extra, image]);
  return JSON.parse(result.stdout) as Report;
}

function vulns(report: Report): Vulnerability[] {
  return (report.Results ?? []).flatMap((r) => r.Vulnerabilities ?? []);
}
function secrets(report: Report): (Secret & { Target: string })[] {
  return (report.Results ?? []).flatMap((r) => (r.Secrets ?? []).map((s) => ({ ...s, Target: r.Target })));
}
const key = (id: string, pkg: string): string => `${id} ${pkg}`;

/** Every finding Trivy must report: each planted advisory on every installed binary of its source package. */
function expectedFindings(ids: string[] = Object.keys(PLANTED)): string[] {
  return ids.flatMap((id) => installed.filter((p) => p.source === PLANTED[id]?.source).map((p) => key(id, p.name))).sort();
}

beforeAll(async () => {
  const built = await exec('bash', [path.join(REPO_ROOT, 'cluster', 'trivy-db.sh'), ADVISORIES], { timeoutMs: 600_000 });
  cacheDir = built.stdout.trim();

  baseReport = await scanBase([], BASE_TAG);
  const digest = baseReport.Metadata.RepoDigests?.find((d) => d.startsWith(`${BASE}@sha256:`));
  if (!digest) throw new Error(`no digest of ${BASE_TAG} in Trivy's report: ${JSON.stringify(baseReport.Metadata)}`);
  baseRef = digest;

  // Ground truth: the image's own dpkg database, read without network.
  const dpkg = await exec(
    'docker',
    ['run', '--rm', '--network', 'none', '--entrypoint', 'dpkg-query', baseRef, '-W', '-f', '${Package}\t${Version}\t${source:Package}\t${source:Version}\n'],
    { timeoutMs: 300_000 },
  );
  installed = dpkg.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [name = '', version = '', source = '', sourceVersion = ''] = line.split('\t');
      return { name, version, source, sourceVersion };
    });
}, 900_000);

afterAll(async () => {
  if (secretImage) await exec('docker', ['image', 'rm', '-f', secretImage], { allowFailure: true });
  removeTempDirs();
}, 120_000);

describe('the offline Trivy database', () => {
  it('agrees with the advisories fixture this test expects', () => {
    const fixture = parseYaml(readFileSync(ADVISORIES, 'utf8')) as {
      release: string;
      advisories: { id: string; package: string; severity: string; fixedVersion?: string; release?: string }[];
    };
    expect(fixture.release).toBe('12');
    const byId = new Map(fixture.advisories.map((a) => [a.id, a]));
    for (const [id, want] of Object.entries(PLANTED)) {
      const got = byId.get(id);
      expect(got, id).toBeDefined();
      expect({ package: got?.package, severity: got?.severity, fixedVersion: got?.fixedVersion, release: got?.release }, id).toEqual({
        package: want.source,
        severity: want.severity,
        fixedVersion: want.fixedVersion,
        release: undefined,
      });
    }
    for (const id of CONTROLS) expect(byId.has(id), id).toBe(true);
    for (const a of fixture.advisories) expect(a.id).toMatch(/^MCTEST-\d{4}$/);
  });

  it('is in Trivy’s format: db/trivy.db and db/metadata.json with the schema Trivy expects, never stale', () => {
    expect(cacheDir).toMatch(new RegExp(`^${CACHE}/trivy-db/[0-9a-f]{12}-[0-9a-f]{12}$`));
    expect(statSync(path.join(cacheDir, 'db', 'trivy.db')).size).toBeGreaterThan(0);
    const meta = JSON.parse(readFileSync(path.join(cacheDir, 'db', 'metadata.json'), 'utf8')) as Record<string, string | number>;
    expect(meta['Version']).toBe(2);
    const now = Date.now();
    const year = 365 * 24 * 3600_000;
    expect(Date.parse(String(meta['NextUpdate']))).toBeGreaterThan(now + 50 * year);
    expect(Date.parse(String(meta['UpdatedAt']))).toBeLessThanOrEqual(now);
    expect(Date.parse(String(meta['DownloadedAt']))).toBeLessThanOrEqual(now);
  });

  it('pins trivy-db at the version Trivy requires', () => {
    const want = readFileSync(path.join(CACHE, 'go-mod', 'cache', 'download', 'github.com', 'aquasecurity', 'trivy', '@v', `${TRIVY_VERSION}.mod`), 'utf8');
    const have = readFileSync(path.join(REPO_ROOT, 'cluster', 'trivy-db', 'go.mod'), 'utf8');
    const version = (mod: string): string | undefined => /github\.com\/aquasecurity\/trivy-db (\S+)/.exec(mod)?.[1];
    expect(version(have)).toBeDefined();
    expect(version(have)).toBe(version(want));
  });

  it('is cached: a second build returns the same folder at once', async () => {
    const started = Date.now();
    const again = await exec('bash', [path.join(REPO_ROOT, 'cluster', 'trivy-db.sh'), ADVISORIES]);
    expect(again.stdout.trim()).toBe(cacheDir);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('trivy image, offline, on the Debian base image', () => {
  it('reports exactly the planted vulnerabilities with their severities and versions', () => {
    expect(baseReport.ArtifactName).toBe(BASE_TAG);
    expect(baseReport.Metadata.OS?.Family).toBe('debian');
    expect(baseReport.Metadata.OS?.Name).toMatch(/^12(\.|$)/);
    const osResult = baseReport.Results?.find((r) => r.Class === 'os-pkgs');
    expect(osResult?.Type).toBe('debian');

    // Each planted source package really is in the image (else this test would prove nothing).
    for (const [id, p] of Object.entries(PLANTED)) {
      expect(
        installed.some((i) => i.name === p.binary && i.source === p.source),
        `${id}: ${p.binary} from ${p.source}`,
      ).toBe(true);
    }

    const found = vulns(baseReport);
    expect(found.map((v) => key(v.VulnerabilityID, v.PkgName)).sort()).toEqual(expectedFindings());
    for (const id of CONTROLS) expect(found.map((v) => v.VulnerabilityID)).not.toContain(id);

    for (const v of found) {
      const want = PLANTED[v.VulnerabilityID];
      const pkg = installed.find((p) => p.name === v.PkgName);
      expect(want, v.VulnerabilityID).toBeDefined();
      expect(pkg, v.PkgName).toBeDefined();
      expect(v.Severity, key(v.VulnerabilityID, v.PkgName)).toBe(want?.severity);
      expect(v.SeveritySource).toBe('debian');
      expect(v.DataSource?.ID).toBe('debian');
      expect(v.InstalledVersion, key(v.VulnerabilityID, v.PkgName)).toBe(pkg?.version); // the binary's version
      expect(v.FixedVersion, key(v.VulnerabilityID, v.PkgName)).toBe(want?.fixedVersion);
      expect(v.Status).toBe(want?.fixedVersion ? 'fixed' : 'affected');
      expect(v.Title).toMatch(new RegExp(`^${v.VulnerabilityID} \\(test data\\)`));
    }

    // The epoch survives, and a binNMU shows the binary's version while the source version is compared.
    expect(found.find((v) => v.VulnerabilityID === 'MCTEST-0001')?.InstalledVersion).toMatch(/^1:1\.2\.13\.dfsg-1/);
    expect(found.find((v) => v.VulnerabilityID === 'MCTEST-0001')?.CVSS?.['debian']).toEqual({
      V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      V3Score: 9.8,
    });
    const bz = installed.find((p) => p.name === 'libbz2-1.0');
    expect(found.find((v) => v.VulnerabilityID === 'MCTEST-0003')?.InstalledVersion).toBe(bz?.version);
  });

  it('gives the same findings when scanned by digest', async () => {
    const byDigest = await scanBase([]);
    expect(
      vulns(byDigest)
        .map((v) => key(v.VulnerabilityID, v.PkgName))
        .sort(),
    ).toEqual(expectedFindings());
  });

  it('writes SARIF with one rule per planted ID, directly and through trivy convert', async () => {
    const direct = JSON.parse(
      (await trivy(['image', ...offline(), '--insecure', '--image-src', 'remote', '--scanners', 'vuln', '--format', 'sarif', baseRef])).stdout,
    ) as Sarif;

    const dir = tempDir('model-canary-trivy-');
    const jsonPath = path.join(dir, 'report.json');
    writeFileSync(jsonPath, JSON.stringify(baseReport));
    const converted = JSON.parse((await trivy(['convert', '--quiet', '--format', 'sarif', jsonPath])).stdout) as Sarif;

    for (const sarif of [direct, converted]) {
      expect(sarif.version).toBe('2.1.0');
      const run = sarif.runs[0];
      expect(run?.tool.driver.name).toBe('Trivy');
      expect(run?.tool.driver.rules.map((r) => r.id).sort()).toEqual(Object.keys(PLANTED).sort());
      for (const rule of run?.tool.driver.rules ?? []) expect(rule.properties.tags).toContain(PLANTED[rule.id]?.severity);
      expect(run?.results.map((r) => key(r.ruleId, /Package: (\S+)/.exec(r.message.text)?.[1] ?? '?')).sort()).toEqual(expectedFindings());
      for (const r of run?.results ?? []) expect(r.level, r.ruleId).toBe(PLANTED[r.ruleId]?.sarifLevel);
    }
  });

  it('drops the unfixed vulnerability with --ignore-unfixed', async () => {
    const report = await scanBase(['--ignore-unfixed']);
    const fixedOnly = Object.keys(PLANTED).filter((id) => id !== UNFIXED);
    expect(
      vulns(report)
        .map((v) => key(v.VulnerabilityID, v.PkgName))
        .sort(),
    ).toEqual(expectedFindings(fixedOnly));
  });

  it('drops an ID listed in .trivyignore', async () => {
    const dir = tempDir('model-canary-trivy-');
    const ignoreFile = path.join(dir, '.trivyignore');
    writeFileSync(ignoreFile, '# accepted for the test: invented advisory\nMCTEST-0003\n');
    const report = await scanBase(['--ignorefile', ignoreFile]);
    const rest = Object.keys(PLANTED).filter((id) => id !== 'MCTEST-0003');
    expect(
      vulns(report)
        .map((v) => key(v.VulnerabilityID, v.PkgName))
        .sort(),
    ).toEqual(expectedFindings(rest));
  });
});

describe('trivy image, offline, secret scanning', () => {
  beforeAll(async () => {
    // A throwaway key made now, in a temp folder: no private key is ever kept in the repository.
    const ctx = tempDir('model-canary-trivy-secret-');
    const keyFile = path.join(ctx, 'deploy-key.pem');
    await exec('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
    keyBody = readFileSync(keyFile, 'utf8').split('\n')[1] ?? '';
    // Not under a path with "test" in it: Trivy's built-in allow rules skip those.
    writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${baseRef}\nCOPY deploy-key.pem /srv/model/credentials/deploy-key.pem\n`);
    secretImage = `model-canary-e2e/trivy-secret:${Date.now().toString(36)}`;
    await exec('docker', ['build', '-q', '-t', secretImage, ctx], { timeoutMs: 300_000 });
  }, 600_000);

  it('finds no secret in the base image', async () => {
    const result = await trivy(['image', ...offline(), '--insecure', '--image-src', 'remote', '--scanners', 'secret', '--format', 'json', baseRef]);
    expect(secrets(JSON.parse(result.stdout) as Report)).toEqual([]);
  });

  it('finds the private key planted in an image built from it (image from the Docker engine)', async () => {
    const result = await trivy(['image', ...offline(), '--image-src', 'docker', '--scanners', 'secret', '--format', 'json', secretImage]);
    const found = secrets(JSON.parse(result.stdout) as Report);
    expect(found.map((s) => ({ target: s.Target, rule: s.RuleID, category: s.Category, severity: s.Severity }))).toEqual([
      { target: '/srv/model/credentials/deploy-key.pem', rule: 'private-key', category: 'AsymmetricPrivateKey', severity: 'HIGH' },
    ]);
    // The report names the key but does not carry it.
    expect(keyBody.length).toBeGreaterThan(32);
    expect(result.stdout).not.toContain(keyBody);
  });

  it('works through TRIVY_* variables alone, with the argv model-canary’s scan stage uses', async () => {
    const result = await trivy(['image', '--quiet', '--format', 'json', '--scanners', 'vuln,secret', '--image-src', 'docker,remote', secretImage], {
      env: {
        TRIVY_CACHE_DIR: cacheDir,
        TRIVY_CACHE_BACKEND: 'memory',
        TRIVY_SKIP_DB_UPDATE: 'true',
        TRIVY_SKIP_JAVA_DB_UPDATE: 'true',
        TRIVY_OFFLINE_SCAN: 'true',
        TRIVY_SKIP_VERSION_CHECK: 'true',
        TRIVY_DISABLE_TELEMETRY: 'true',
      },
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(
      vulns(report)
        .map((v) => key(v.VulnerabilityID, v.PkgName))
        .sort(),
    ).toEqual(expectedFindings());
    expect(secrets(report).map((s) => `${s.RuleID} ${s.Target}`)).toEqual(['private-key /srv/model/credentials/deploy-key.pem']);
  });
});
