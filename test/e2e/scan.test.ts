import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { dockerConfig, modelFile, runCommandIn, SERVER_DOCKERFILE, trivyCacheDir, uniqueSha, workspace } from './run-command.js';

// `command: scan` for real: Trivy (pinned, built here) scans an image built by `command: build`, offline,
// against a small database of invented advisories written in Trivy's own format (cluster/trivy-db.sh):
// MCTEST-0001 CRITICAL in zlib (fixed upstream), MCTEST-0002 HIGH in python3.11 (no fix), MCTEST-0003
// MEDIUM in bzip2, MCTEST-0004 LOW in tar, all packages the Debian base image really carries.

let trivyVars: Record<string, string>;
const docker = { DOCKER_CONFIG: '' };

beforeAll(() => {
  trivyVars = {
    TRIVY_CACHE_DIR: trivyCacheDir(),
    TRIVY_SKIP_DB_UPDATE: 'true',
    TRIVY_SKIP_JAVA_DB_UPDATE: 'true',
    TRIVY_OFFLINE_SCAN: 'true',
    // Keep Trivy's layer cache out of the shared database folder.
    TRIVY_CACHE_BACKEND: 'memory',
  };
  docker.DOCKER_CONFIG = dockerConfig(false);
}, 300_000);
afterAll(removeTempDirs);

interface Sarif {
  runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[];
}

async function buildThenScan(name: string, files: Record<string, string>, extra: string, trivyignore?: string) {
  const sha = uniqueSha();
  const ws = workspace({ Dockerfile: SERVER_DOCKERFILE, 'server.py': 'print(1)\n', ...files }, modelFile(name, extra));
  if (trivyignore !== undefined) writeFileSync(path.join(ws, '.trivyignore'), trivyignore);
  const built = await runCommandIn(ws, sha, docker, { command: 'build' });
  expect(built.code, built.host.log).toBe(0);
  const scanned = await runCommandIn(ws, sha, { ...docker, ...trivyVars }, { command: 'scan' });
  return { ws, ...scanned };
}

describe('command scan', () => {
  it('fails the gate on CRITICAL and HIGH, naming each finding, and writes SARIF with every severity', async () => {
    const { ws, code, host } = await buildThenScan('scan-gate', {}, '');
    expect(code).toBe(1);
    const errors = host.logger.lines.filter((l) => l.startsWith('error:')).join('\n');
    expect(errors).toContain('CRITICAL MCTEST-0001 in zlib1g 1:1.2.13.dfsg-1 (fixed in 1:1.2.13.dfsg-2)');
    expect(errors).toMatch(/HIGH MCTEST-0002 in python3\.11 3\.11\.2-6\+deb12u\d+ \(no fix yet\)/);
    expect(errors).not.toContain('MCTEST-0003'); // MEDIUM does not block by default
    const sarif = JSON.parse(readFileSync(path.join(ws, 'model-canary-scan.sarif'), 'utf8')) as Sarif;
    const ruleIds = new Set(sarif.runs.flatMap((r) => r.tool.driver.rules.map((rule) => rule.id)));
    for (const id of ['MCTEST-0001', 'MCTEST-0002', 'MCTEST-0003', 'MCTEST-0004']) expect(ruleIds).toContain(id);
    expect(host.outputs?.verdict).toBe('failed');
  }, 300_000);

  it('passes with ignoreUnfixed and the CRITICAL accepted in .trivyignore', async () => {
    const { code, host } = await buildThenScan('scan-pass', {}, 'scan: { ignoreUnfixed: true }', '# accepted: test advisory\nMCTEST-0001\n');
    expect(code, host.log).toBe(0);
    expect(host.summary).toContain('### Scan');
    expect(host.outputs?.report).toMatch(/trivy\.json$/);
    // The report the gate read is in a private folder of its own, not at a fixed name in the temp folder.
    expect(statSync(path.dirname(host.outputs?.report ?? '')).mode & 0o777).toBe(0o700);
    const report = JSON.parse(readFileSync(host.outputs?.report ?? '', 'utf8')) as { Results?: { Vulnerabilities?: { VulnerabilityID: string }[] }[] };
    const ids = (report.Results ?? []).flatMap((r) => (r.Vulnerabilities ?? []).map((v) => v.VulnerabilityID));
    expect(ids).not.toContain('MCTEST-0001'); // Trivy honoured .trivyignore
    expect(ids).toContain('MCTEST-0002'); // still reported, just not blocking
  }, 300_000);

  it("refuses AWS keys set with ENV: the config guard before the push, and Trivy's image-config secret scan", async () => {
    // Invented keys of the real shapes, built from parts so this file does not look like a leak.
    const keyId = `AKIA${'Q3EGPZJ2MX7HKLWB'}`;
    const secret = `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'Q1w2E3r4T5'}`;
    const dockerfile = SERVER_DOCKERFILE.replace('USER 10001:10001', `ENV AWS_SECRET_ACCESS_KEY=${secret}\nENV AWS_ACCESS_KEY_ID=${keyId}\nUSER 10001:10001`);
    const sha = uniqueSha();
    const ws = workspace({ Dockerfile: dockerfile, 'server.py': 'print(1)\n' }, modelFile('scan-env-keys', 'scan: { ignoreUnfixed: true }'));
    writeFileSync(path.join(ws, '.trivyignore'), '# accepted: test advisory\nMCTEST-0001\n');

    const built = await runCommandIn(ws, sha, docker, { command: 'build' });
    expect(built.code).toBe(1);
    const refusal = built.host.logger.lines.filter((l) => l.startsWith('error:')).join('\n');
    expect(refusal).toContain('configSecrets: the image config carries 2 credential(s)');
    expect(refusal).toContain('ENV AWS_SECRET_ACCESS_KEY is named like a secret and has a value');
    expect(refusal).toContain('ENV AWS_ACCESS_KEY_ID holds an AWS access key id');
    expect(refusal).toContain('RUN --mount=type=secret');
    expect(refusal).toContain('so it was not pushed');

    // The refused image is still in the local engine, where scan (docker first) finds it by its tag.
    const scanned = await runCommandIn(ws, sha, { ...docker, ...trivyVars }, { command: 'scan' });
    expect(scanned.code).toBe(1);
    expect(scanned.host.log).toContain('SECRET aws-access-key-id in the image config (ENV, LABEL or build history): AWS Access Key ID');
    // model-canary's own words never carry the values (docker's build output echoes the Dockerfile's
    // lines, which are the repository's text; the scan's whole log has no build in it).
    for (const text of [refusal, built.host.summary, scanned.host.log, scanned.host.summary]) {
      expect(text).not.toContain(keyId);
      expect(text).not.toContain(secret);
    }
  }, 120_000);

  it('fails the secret scan on a private key baked into the image, and passes once it is accepted', async () => {
    const keyDir = tempDir('key-');
    execFileSync('openssl', ['genrsa', '-out', path.join(keyDir, 'k.pem'), '2048'], { stdio: 'ignore' });
    const key = readFileSync(path.join(keyDir, 'k.pem'), 'utf8');
    const dockerfile = SERVER_DOCKERFILE.replace('USER 10001:10001', 'COPY deploy-key.pem /srv/model/credentials/deploy-key.pem\nUSER 10001:10001');
    // The image guard would refuse the key file before the scan; switch it off to prove the scan catches it too.
    const guardsOff = 'image.guards.secretFiles=off';
    const accepted = '# accepted: test advisory\nMCTEST-0001\n';

    const sha = uniqueSha();
    const ws = workspace(
      { Dockerfile: dockerfile, 'server.py': 'print(1)\n', 'deploy-key.pem': key },
      modelFile('scan-secret', 'scan: { ignoreUnfixed: true }'),
    );
    writeFileSync(path.join(ws, '.trivyignore'), accepted);
    const built = await runCommandIn(ws, sha, docker, { command: 'build', set: [guardsOff] });
    expect(built.code, built.host.log).toBe(0);
    const failed = await runCommandIn(ws, sha, { ...docker, ...trivyVars }, { command: 'scan', set: [guardsOff] });
    expect(failed.code).toBe(1);
    expect(failed.host.log).toContain('SECRET private-key in');
    expect(failed.host.log).toContain('/srv/model/credentials/deploy-key.pem');
    expect(failed.host.log).not.toContain('BEGIN PRIVATE KEY');

    writeFileSync(path.join(ws, '.trivyignore'), `${accepted}# accepted: the key is a test key\nprivate-key\n`);
    const passed = await runCommandIn(ws, sha, { ...docker, ...trivyVars }, { command: 'scan', set: [guardsOff] });
    expect(passed.code, passed.host.log).toBe(0);
  }, 300_000);
});
