import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Severity } from '../../src/config/types.js';
import { applyGate, describeBlocking, type GatePolicy, type GateResult } from '../../src/scan/gate.js';
import { parseTrivyReport, type TrivyReport, type TrivyVulnerability } from '../../src/scan/report.js';
import { FIXTURES, fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

// Reports recorded from Trivy 0.74 with invented advisories; see test/fixtures/scan/README.md.
type Fixture = 'trivy-mixed.json' | 'trivy-medium-low.json' | 'trivy-unfixed.json' | 'trivy-secrets.json' | 'trivy-empty.json' | 'trivy-results-null.json';

function report(name: Fixture): TrivyReport {
  return parseTrivyReport(readFileSync(path.join(FIXTURES, 'scan', name), 'utf8'));
}

/** The scan policy of the fixture model file, which sets no scan section: the defaults, through the real loader. */
function defaultPolicy(): GatePolicy {
  const config = loadConfig({ ...DEFAULT_INPUTS, command: 'scan' }, { workspace: fixtureWorkspace(), tempDir: '/tmp/model-canary-run', searchPath: '' });
  return { failOn: config.scan.failOn, ignoreUnfixed: config.scan.ignoreUnfixed, secrets: config.scan.secrets };
}
const DEFAULT = defaultPolicy();

/** A blocking finding, short: severity, ID, package, installed, fixed. */
type Row = [string, string, string, string, string];
const rows = (result: GateResult): Row[] => result.blocking.map((f) => [f.severity, f.id, f.pkg, f.installed, f.fixed]);

const ZLIB: Row = ['CRITICAL', 'MCTEST-0101', 'zlib1g', '1:1.2.13.dfsg-1', '1:1.2.13.dfsg-2'];
const SSL: Row = ['CRITICAL', 'MCTEST-0102', 'libssl3', '3.0.20-1~deb12u2', ''];
const LIBC_BIN: Row = ['HIGH', 'MCTEST-0103', 'libc-bin', '2.36-9+deb12u14', '2.36-10'];
const LIBC6: Row = ['HIGH', 'MCTEST-0103', 'libc6', '2.36-9+deb12u14', '2.36-10'];
const PERL: Row = ['HIGH', 'MCTEST-0104', 'perl-base', '5.36.0-7+deb12u3', '5.36.0-8'];
const KRB5: Row[] = ['libgssapi-krb5-2', 'libk5crypto3', 'libkrb5-3', 'libkrb5support0'].map((pkg) => ['HIGH', 'MCTEST-0105', pkg, '1.20.1-2+deb12u5', '']);
const EXPAT: Row = ['MEDIUM', 'MCTEST-0106', 'libexpat1', '2.5.0-1+deb12u2', '2.5.0-2'];
const SQLITE: Row = ['MEDIUM', 'MCTEST-0107', 'libsqlite3-0', '3.40.1-2+deb12u2', ''];
const APT: Row[] = ['apt', 'libapt-pkg6.0'].map((pkg) => ['LOW', 'MCTEST-0108', pkg, '2.6.1', '']);
const TAR: Row = ['UNKNOWN', 'MCTEST-0109', 'tar', '1.34+dfsg-1.2+deb12u1', '1.34+dfsg-1.3'];

const MIXED_COUNTS = { CRITICAL: 2, HIGH: 7, MEDIUM: 2, LOW: 2, UNKNOWN: 1 };
const NONE = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };

interface Case {
  name: string;
  fixture: Fixture;
  policy?: Partial<GatePolicy>;
  passed: boolean;
  blocking: Row[];
  counts?: Record<string, number>;
}

const CASES: Case[] = [
  {
    name: 'default policy fails on CRITICAL and HIGH, most severe first, then by ID',
    fixture: 'trivy-mixed.json',
    passed: false,
    blocking: [ZLIB, SSL, LIBC_BIN, LIBC6, PERL, ...KRB5],
    counts: MIXED_COUNTS,
  },
  {
    name: 'ignoreUnfixed drops the findings without a fixed version (counts keep them)',
    fixture: 'trivy-mixed.json',
    policy: { ignoreUnfixed: true },
    passed: false,
    blocking: [ZLIB, LIBC_BIN, LIBC6, PERL],
    counts: MIXED_COUNTS,
  },
  { name: 'failOn CRITICAL only', fixture: 'trivy-mixed.json', policy: { failOn: ['CRITICAL'] }, passed: false, blocking: [ZLIB, SSL] },
  {
    name: 'failOn CRITICAL only, fixed only',
    fixture: 'trivy-mixed.json',
    policy: { failOn: ['CRITICAL'], ignoreUnfixed: true },
    passed: false,
    blocking: [ZLIB],
  },
  { name: 'failOn HIGH only', fixture: 'trivy-mixed.json', policy: { failOn: ['HIGH'] }, passed: false, blocking: [LIBC_BIN, LIBC6, PERL, ...KRB5] },
  {
    name: 'failOn every severity: the whole report, in severity order',
    fixture: 'trivy-mixed.json',
    policy: { failOn: ['LOW', 'UNKNOWN', 'MEDIUM', 'HIGH', 'CRITICAL'] },
    passed: false,
    blocking: [ZLIB, SSL, LIBC_BIN, LIBC6, PERL, ...KRB5, EXPAT, SQLITE, ...APT, TAR],
  },
  { name: 'failOn UNKNOWN catches what Trivy could not rate', fixture: 'trivy-mixed.json', policy: { failOn: ['UNKNOWN'] }, passed: false, blocking: [TAR] },
  { name: 'failOn empty passes anything', fixture: 'trivy-mixed.json', policy: { failOn: [] }, passed: true, blocking: [], counts: MIXED_COUNTS },
  {
    name: 'default policy passes a MEDIUM and LOW report',
    fixture: 'trivy-medium-low.json',
    passed: true,
    blocking: [],
    counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 5, LOW: 1, UNKNOWN: 0 },
  },
  {
    name: 'failOn MEDIUM fails the same report',
    fixture: 'trivy-medium-low.json',
    policy: { failOn: ['CRITICAL', 'HIGH', 'MEDIUM'] },
    passed: false,
    blocking: [
      ['MEDIUM', 'MCTEST-0201', 'libexpat1', '2.5.0-1+deb12u2', '2.5.0-2'],
      ...['libncursesw6', 'libtinfo6', 'ncurses-base', 'ncurses-bin'].map((pkg): Row => ['MEDIUM', 'MCTEST-0202', pkg, '6.4-4', '']),
    ],
  },
  {
    name: 'default policy fails on unfixed CRITICAL and HIGH',
    fixture: 'trivy-unfixed.json',
    passed: false,
    blocking: [
      ['CRITICAL', 'MCTEST-0301', 'libssl3', '3.0.20-1~deb12u2', ''],
      ['HIGH', 'MCTEST-0302', 'libgnutls30', '3.7.9-2+deb12u7', ''],
    ],
    counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 0, UNKNOWN: 0 },
  },
  {
    name: 'ignoreUnfixed passes when every CRITICAL and HIGH is unfixed',
    fixture: 'trivy-unfixed.json',
    policy: { ignoreUnfixed: true },
    passed: true,
    blocking: [],
  },
  { name: 'a report without Results passes', fixture: 'trivy-empty.json', passed: true, blocking: [], counts: NONE },
  { name: 'a report with Results null passes', fixture: 'trivy-results-null.json', passed: true, blocking: [], counts: NONE },
  {
    name: 'a report without Results passes the strictest policy',
    fixture: 'trivy-empty.json',
    policy: { failOn: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'], secrets: 'error' },
    passed: true,
    blocking: [],
  },
];

describe('applyGate on recorded Trivy reports', () => {
  it('the default policy is CRITICAL and HIGH, unfixed included, secrets at error', () => {
    expect(DEFAULT).toEqual({ failOn: ['CRITICAL', 'HIGH'], ignoreUnfixed: false, secrets: 'error' });
  });

  it.each(CASES)('$name', ({ fixture, policy, passed, blocking, counts }) => {
    const result = applyGate(report(fixture), { ...DEFAULT, ...policy });
    expect(rows(result)).toEqual(blocking);
    expect(result.passed).toBe(passed);
    if (counts) expect(result.counts).toEqual(counts);
    expect(result.secretsBlock).toBe(false);
  });

  it('keeps target and title on each blocking finding', () => {
    const [first] = applyGate(report('trivy-mixed.json'), DEFAULT).blocking;
    expect(first).toEqual({
      id: 'MCTEST-0101',
      pkg: 'zlib1g',
      installed: '1:1.2.13.dfsg-1',
      fixed: '1:1.2.13.dfsg-2',
      severity: 'CRITICAL',
      title: 'MCTEST-0101 (test data): invented critical flaw in zlib, fixed',
      target: 'registry.example:5000/team/iris:0123456789abcdef0123456789abcdef01234567 (debian 12.15)',
    });
  });

  it('does not change the report', () => {
    const r = report('trivy-mixed.json');
    const before = structuredClone(r);
    applyGate(r, { ...DEFAULT, ignoreUnfixed: true });
    expect(r).toEqual(before);
  });
});

/** The recorded mixed report with its vulnerabilities replaced by derive(vulnerabilities). */
function derived(derive: (vulns: TrivyVulnerability[]) => TrivyVulnerability[]): TrivyReport {
  const r = report('trivy-mixed.json');
  const os = r.Results?.[0];
  if (!os?.Vulnerabilities) throw new Error('fixture trivy-mixed.json has no os-pkgs vulnerabilities');
  os.Vulnerabilities = derive(os.Vulnerabilities);
  return r;
}

describe('duplicates', () => {
  it('the same vulnerability of the same package listed twice in a target counts once', () => {
    // As Trivy lists a language package found at two paths (PkgPath) under one target.
    const r = derived((v) => [...v, ...v.map((x) => ({ ...x, PkgPath: 'opt/venv/lib/python3.11/site-packages' }))]);
    const result = applyGate(r, DEFAULT);
    expect(result.counts).toEqual(MIXED_COUNTS);
    expect(rows(result)).toEqual([ZLIB, SSL, LIBC_BIN, LIBC6, PERL, ...KRB5]);
  });

  it('one ID in two binary packages of the same source counts twice (they are different packages)', () => {
    const result = applyGate(report('trivy-mixed.json'), { ...DEFAULT, failOn: ['HIGH'] });
    expect(result.blocking.filter((f) => f.id === 'MCTEST-0103').map((f) => f.pkg)).toEqual(['libc-bin', 'libc6']);
  });

  it('the same ID at another installed version is another finding', () => {
    const r = derived((v) => [...v, ...v.filter((x) => x.PkgName === 'zlib1g').map((x) => ({ ...x, InstalledVersion: '1:1.2.13.dfsg-1+b1' }))]);
    const result = applyGate(r, { ...DEFAULT, failOn: ['CRITICAL'], ignoreUnfixed: true });
    expect(rows(result)).toEqual([ZLIB, ['CRITICAL', 'MCTEST-0101', 'zlib1g', '1:1.2.13.dfsg-1+b1', '1:1.2.13.dfsg-2']]);
    expect(result.counts['CRITICAL']).toBe(3);
  });
});

describe('severities Trivy did not rate in its five levels count as UNKNOWN', () => {
  it.each(['NEGLIGIBLE', 'critical', '', 'Important'])('severity %j', (severity) => {
    const r = derived((v) => v.map((x) => (x.PkgName === 'zlib1g' ? { ...x, Severity: severity } : x)));
    const lenient = applyGate(r, DEFAULT);
    expect(lenient.counts).toEqual({ ...MIXED_COUNTS, CRITICAL: 1, UNKNOWN: 2 });
    expect(rows(lenient)).toEqual([SSL, LIBC_BIN, LIBC6, PERL, ...KRB5]);

    const strict = applyGate(r, { ...DEFAULT, failOn: ['UNKNOWN'] });
    expect(rows(strict)).toEqual([['UNKNOWN', 'MCTEST-0101', 'zlib1g', '1:1.2.13.dfsg-1', '1:1.2.13.dfsg-2'], TAR]);
  });
});

describe('secrets', () => {
  const SECRETS = [
    { rule: 'private-key', title: 'Asymmetric Private Key', target: '/app/keys/id_rsa', line: 2 },
    { rule: 'aws-access-key-id', title: 'AWS Access Key ID', target: '/app/settings.py', line: 6 },
  ];

  it.each<[GatePolicy['secrets'], boolean]>([
    ['error', false],
    ['warn', true],
    ['off', true],
  ])('secrets at %s: passed %s (the vulnerabilities there are MEDIUM and LOW)', (level, passed) => {
    const result = applyGate(report('trivy-secrets.json'), { ...DEFAULT, secrets: level });
    expect(result.secrets).toEqual(SECRETS);
    expect(result.secretsBlock).toBe(level === 'error');
    expect(result.passed).toBe(passed);
    expect(result.blocking).toEqual([]);
    expect(result.counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 5, LOW: 1, UNKNOWN: 0 });
  });

  it('describeBlocking names each secret only when secrets block', () => {
    const lines = ['SECRET private-key in /app/keys/id_rsa:2: Asymmetric Private Key', 'SECRET aws-access-key-id in /app/settings.py:6: AWS Access Key ID'];
    expect(describeBlocking(applyGate(report('trivy-secrets.json'), DEFAULT))).toEqual(lines);
    expect(describeBlocking(applyGate(report('trivy-secrets.json'), { ...DEFAULT, secrets: 'warn' }))).toEqual([]);
    expect(describeBlocking(applyGate(report('trivy-secrets.json'), { ...DEFAULT, secrets: 'off' }))).toEqual([]);
  });

  it('vulnerabilities come before secrets, and a secret without line or title is still named', () => {
    const r = report('trivy-secrets.json');
    r.Results?.push({ Target: '/app/.npmrc', Class: 'secret', Secrets: [{ RuleID: 'npm-access-token', Severity: 'CRITICAL' }] });
    const result = applyGate(r, { ...DEFAULT, failOn: ['MEDIUM'], ignoreUnfixed: true });
    expect(describeBlocking(result)).toEqual([
      'MEDIUM MCTEST-0201 in libexpat1 2.5.0-1+deb12u2 (fixed in 2.5.0-2): MCTEST-0201 (test data): invented medium flaw in expat, fixed',
      'SECRET private-key in /app/keys/id_rsa:2: Asymmetric Private Key',
      'SECRET aws-access-key-id in /app/settings.py:6: AWS Access Key ID',
      'SECRET npm-access-token in /app/.npmrc: npm-access-token',
    ]);
  });

  it('a secret Trivy found in the image config is named as such, without its meaningless line', () => {
    const r = report('trivy-secrets.json');
    r.ArtifactName = '127.0.0.1:5000/e2e/leaky:abc';
    r.Results?.push({ Target: r.ArtifactName, Class: 'secret', Secrets: [{ RuleID: 'aws-access-key-id', Title: 'AWS Access Key ID', StartLine: 47 }] });
    const result = applyGate(r, DEFAULT);
    expect(result.passed).toBe(false);
    expect(describeBlocking(result).at(-1)).toBe('SECRET aws-access-key-id in the image config (ENV, LABEL or build history): AWS Access Key ID');
  });

  it('Vulnerabilities and Secrets null in a result are nothing found', () => {
    const r: TrivyReport = {
      SchemaVersion: 2,
      Results: [{ Target: 'x (debian 12.15)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: null, Secrets: null }],
    };
    expect(applyGate(r, { failOn: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'], ignoreUnfixed: false, secrets: 'error' })).toEqual({
      passed: true,
      blocking: [],
      counts: NONE,
      secrets: [],
      secretsBlock: false,
    });
  });
});

describe('describeBlocking', () => {
  it('names severity, ID, package, installed and fixed version ("no fix yet" when none) and the title, in gate order', () => {
    expect(describeBlocking(applyGate(report('trivy-mixed.json'), DEFAULT))).toEqual([
      'CRITICAL MCTEST-0101 in zlib1g 1:1.2.13.dfsg-1 (fixed in 1:1.2.13.dfsg-2): MCTEST-0101 (test data): invented critical flaw in zlib, fixed',
      'CRITICAL MCTEST-0102 in libssl3 3.0.20-1~deb12u2 (no fix yet): MCTEST-0102 (test data): invented critical flaw in openssl, will not be fixed',
      'HIGH MCTEST-0103 in libc-bin 2.36-9+deb12u14 (fixed in 2.36-10): MCTEST-0103 (test data): invented high flaw in glibc, fixed',
      'HIGH MCTEST-0103 in libc6 2.36-9+deb12u14 (fixed in 2.36-10): MCTEST-0103 (test data): invented high flaw in glibc, fixed',
      'HIGH MCTEST-0104 in perl-base 5.36.0-7+deb12u3 (fixed in 5.36.0-8): MCTEST-0104 (test data): invented high flaw in perl, fixed',
      'HIGH MCTEST-0105 in libgssapi-krb5-2 1.20.1-2+deb12u5 (no fix yet): MCTEST-0105 (test data): invented high flaw in krb5, no fix yet',
      'HIGH MCTEST-0105 in libk5crypto3 1.20.1-2+deb12u5 (no fix yet): MCTEST-0105 (test data): invented high flaw in krb5, no fix yet',
      'HIGH MCTEST-0105 in libkrb5-3 1.20.1-2+deb12u5 (no fix yet): MCTEST-0105 (test data): invented high flaw in krb5, no fix yet',
      'HIGH MCTEST-0105 in libkrb5support0 1.20.1-2+deb12u5 (no fix yet): MCTEST-0105 (test data): invented high flaw in krb5, no fix yet',
    ]);
  });

  it('leaves out the title when Trivy gave none', () => {
    const r = derived((v) => v.filter((x) => x.PkgName === 'libssl3').map(({ Title: _title, ...rest }) => rest));
    expect(describeBlocking(applyGate(r, DEFAULT))).toEqual(['CRITICAL MCTEST-0102 in libssl3 3.0.20-1~deb12u2 (no fix yet)']);
  });

  it('is empty when the gate passes', () => {
    expect(describeBlocking(applyGate(report('trivy-medium-low.json'), DEFAULT))).toEqual([]);
    expect(describeBlocking(applyGate(report('trivy-empty.json'), DEFAULT))).toEqual([]);
  });
});

describe('parseTrivyReport', () => {
  it.each<Fixture>(['trivy-mixed.json', 'trivy-medium-low.json', 'trivy-unfixed.json', 'trivy-secrets.json', 'trivy-empty.json', 'trivy-results-null.json'])(
    'reads the recorded %s',
    (name) => {
      const r = report(name);
      expect(r.SchemaVersion).toBe(2);
      expect(r.ArtifactName).toMatch(/^registry\.example:5000\/team\//);
    },
  );

  it('accepts an empty object (nothing found)', () => {
    expect(parseTrivyReport('{}')).toEqual({});
    expect(applyGate(parseTrivyReport('{}'), DEFAULT).passed).toBe(true);
  });

  it.each([
    ['empty output', ''],
    ['whitespace', '  \n'],
    ['plain text', 'FATAL Fatal error run error: init error: DB error'],
    ['truncated JSON', '{"SchemaVersion": 2, "Results": ['],
    ['HTML', '<html><body>502 Bad Gateway</body></html>'],
    ['two JSON documents', '{} {}'],
  ])('rejects %s as not JSON', (_what, text) => {
    expect(() => parseTrivyReport(text)).toThrow(new Error('Trivy did not write a JSON report'));
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['an array of reports', '[{"SchemaVersion": 2}]'],
    ['a number', '42'],
    ['a string', '"report"'],
    ['a boolean', 'true'],
  ])('rejects %s as not an object', (_what, text) => {
    expect(() => parseTrivyReport(text)).toThrow(new Error('Trivy report is not a JSON object'));
  });
});

describe('the fixtures hold what the cases above rely on', () => {
  it('trivy-mixed.json lists the vulnerabilities out of gate order (so sorting is tested)', () => {
    const ids = (report('trivy-mixed.json').Results?.[0]?.Vulnerabilities ?? []).map((v) => `${v.Severity} ${v.VulnerabilityID}`);
    expect(ids[0]).toBe('LOW MCTEST-0108');
    expect(ids.indexOf('CRITICAL MCTEST-0102')).toBeLessThan(ids.indexOf('CRITICAL MCTEST-0101'));
  });

  it('unfixed findings have no FixedVersion at all (Trivy omits it)', () => {
    for (const v of report('trivy-unfixed.json').Results?.[0]?.Vulnerabilities ?? []) {
      expect('FixedVersion' in v).toBe(v.Status === 'fixed');
    }
  });

  it('each severity the gate knows is a Severity', () => {
    const known: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
    expect(Object.keys(applyGate(report('trivy-mixed.json'), DEFAULT).counts)).toEqual(known);
  });
});
