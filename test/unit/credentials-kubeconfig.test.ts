import { copyFileSync, chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { runPost } from '../../src/commands/post.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { readKubeconfigInput, removeKubeconfig, writeKubeconfig } from '../../src/credentials/kubeconfig.js';
import { withSavedKubeconfig } from '../../src/credentials/run.js';
import { FAKE_BIN, fixtureWorkspace } from '../helpers/fixtures.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sa-token-for-tests.c2lnbmF0dXJl';
const KEY = 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCmZha2UKLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo=';
const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: local',
  '  cluster: { server: "https://10.244.0.1:6443", certificate-authority-data: Q0EK }',
  'contexts:',
  '- name: deployer',
  '  context: { cluster: local, user: deployer, namespace: models }',
  'current-context: deployer',
  'users:',
  '- name: deployer',
  `  user: { token: "${TOKEN}" }`,
  '- name: admin',
  `  user: { client-key-data: ${KEY}, username: admin, password: "hunter2-not-real" }`,
  '',
].join('\n');

afterAll(removeTempDirs);

const log = (): { lines: string[]; info(m: string): void; warn(m: string): void } => {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(m), warn: (m) => void lines.push(`warning: ${m}`) };
};

describe('the kubeconfig input', () => {
  it('takes YAML or base64 of it, and lists the credentials inside to mask', () => {
    for (const given of [KUBECONFIG, Buffer.from(KUBECONFIG).toString('base64'), `  ${KUBECONFIG}\n\n`]) {
      const read = readKubeconfigInput(given);
      if (!('content' in read)) throw new Error(read.problem);
      expect(read.content).toBe(KUBECONFIG);
      expect(read.secrets).toEqual(expect.arrayContaining([TOKEN, KEY, 'hunter2-not-real', KUBECONFIG.trim()]));
      expect(read.secrets).toContain(given.trim());
      expect(read.secrets).not.toContain('admin');
    }
  });

  it('refuses a path or junk without quoting it', () => {
    const byPath = readKubeconfigInput('/home/runner/.kube/config');
    expect(byPath).toEqual({ problem: expect.stringMatching(/not kubeconfig content; pass the file itself from a secret .*not its path/) });
    const junk = readKubeconfigInput('password: s3cr3t-value\nfoo: [');
    expect('problem' in junk && junk.problem).toMatch(/is not a kubeconfig/);
    expect(JSON.stringify(junk)).not.toContain('s3cr3t-value');
  });
});

describe('the kubeconfig file', () => {
  it('is written with mode 0600 under a name of its own, and never over another file', () => {
    const dir = tempDir('kc-');
    const a = writeKubeconfig(KUBECONFIG, dir);
    const b = writeKubeconfig(KUBECONFIG, dir);
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe(dir);
    expect(statSync(a).mode & 0o777).toBe(0o600);
    expect(readFileSync(a, 'utf8')).toBe(KUBECONFIG);
    expect(removeKubeconfig(a)).toBe('removed');
    expect(removeKubeconfig(a)).toBe('absent');
    expect(existsSync(a)).toBe(false);
  });

  it('is the KUBECONFIG of the post step, and removed after it, even when the cleanup throws; twice is harmless', async () => {
    const file = writeKubeconfig(KUBECONFIG, tempDir('kc-'));
    const saved = JSON.stringify({ command: 'release', created: [], lockHeld: false, kubeconfigFile: file });
    const before = process.env['KUBECONFIG'];
    const l = log();
    let seen: string | undefined;
    await expect(
      withSavedKubeconfig(saved, l, async () => {
        seen = process.env['KUBECONFIG'];
        expect(readFileSync(seen ?? '', 'utf8')).toBe(KUBECONFIG);
        throw new Error('cluster unreachable');
      }),
    ).rejects.toThrow('cluster unreachable');
    expect(seen).toBe(file);
    expect(process.env['KUBECONFIG']).toBe(before);
    expect(existsSync(file)).toBe(false);
    await withSavedKubeconfig(saved, l, async () => runPost(saved, l));
    expect(l.lines).toEqual([
      'model-canary post: removed the kubeconfig file of input kubeconfig.',
      'model-canary post: release of the model left nothing to clean.',
      'model-canary post: the kubeconfig file is already gone.',
    ]);
  });

  it('leaves everything alone when main wrote none', async () => {
    const l = log();
    expect(await withSavedKubeconfig('', l, async () => 'ran')).toBe('ran');
    expect(await withSavedKubeconfig('{', l, async () => 'ran')).toBe('ran');
    expect(l.lines).toEqual([]);
  });
});

describe('a run with input kubeconfig', () => {
  let bin: string;
  let record: string;
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    // The fake tools, with a kubectl that records its argv, its KUBECONFIG and what that file is.
    bin = tempDir('kc-bin-');
    for (const tool of readdirSync(FAKE_BIN)) copyFileSync(path.join(FAKE_BIN, tool), path.join(bin, tool));
    record = path.join(tempDir('kc-record-'), 'calls.txt');
    writeFileSync(
      path.join(bin, 'kubectl'),
      [
        '#!/bin/sh',
        'printf "ARGV %s\\n" "$*" >> "$RECORD"',
        'printf "KUBECONFIG %s\\n" "$KUBECONFIG" >> "$RECORD"',
        'if [ -f "$KUBECONFIG" ]; then printf "MODE %s\\n" "$(stat -c %a "$KUBECONFIG")" >> "$RECORD"; printf "TOKEN-IN-FILE %s\\n" "$(grep -c "$EXPECT_TOKEN" "$KUBECONFIG")" >> "$RECORD"; fi',
        'case "$1" in',
        '  version) echo \'{"clientVersion":{"gitVersion":"v1.34.4"}}\' ;;',
        '  *) echo "error: no cluster in this test" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'kubectl'), 0o755);
    for (const k of ['RECORD', 'EXPECT_TOKEN', 'KUBECONFIG']) saved[k] = process.env[k];
    process.env['RECORD'] = record;
    process.env['EXPECT_TOKEN'] = TOKEN;
    process.env['KUBECONFIG'] = '/nonexistent/kubeconfig-of-the-job';
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('reaches every command through KUBECONFIG only, masks the credentials, and leaves the file to the post step', async () => {
    const host = new MemoryHost();
    const runTemp = tempDir('kc-runner-temp-');
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'status', kubeconfig: KUBECONFIG, githubToken: '' },
      { workspace: fixtureWorkspace(), tempDir: runTemp, searchPath: bin },
    );
    expect(code, host.log).toBe(1); // the fake kubectl has no cluster behind it
    const calls = readFileSync(record, 'utf8');
    const state = JSON.parse(host.state.get('cleanup') ?? '{}') as { kubeconfigFile?: string };
    const file = state.kubeconfigFile ?? '';
    expect(path.dirname(file)).toBe(runTemp);
    expect(path.basename(file)).toMatch(/^model-canary-kubeconfig-\d+-[0-9a-f]{16}$/);
    // kubectl version (tool check) and kubectl proxy both ran with it, by environment, never by argument.
    const argv = calls.split('\n').filter((l) => l.startsWith('ARGV '));
    expect(argv.map((l) => l.split(' ')[1])).toEqual(['version', 'proxy']);
    for (const line of argv) {
      expect(line).not.toContain(file);
      expect(line).not.toContain('kubeconfig');
      expect(line).not.toContain(TOKEN);
    }
    expect(calls.split('\n').filter((l) => l.startsWith('KUBECONFIG '))).toEqual([`KUBECONFIG ${file}`, `KUBECONFIG ${file}`]);
    expect(calls).toContain('MODE 600');
    expect(calls).toContain('TOKEN-IN-FILE 1');
    expect(calls).not.toContain('MODE 644');
    // Masked before anything ran; never printed.
    expect(host.logger.secrets).toEqual(expect.arrayContaining([KUBECONFIG.trim(), TOKEN, KEY, 'hunter2-not-real']));
    expect(host.log).not.toContain(TOKEN);
    expect(host.summary).not.toContain(TOKEN);
    // The job's own KUBECONFIG is back; the file waits for the post step, which removes it.
    expect(process.env['KUBECONFIG']).toBe('/nonexistent/kubeconfig-of-the-job');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const l = log();
    const stateText = host.state.get('cleanup') ?? '';
    await withSavedKubeconfig(stateText, l, () => runPost(stateText, l));
    expect(existsSync(file)).toBe(false);
    await withSavedKubeconfig(stateText, l, () => runPost(stateText, l));
    expect(l.lines.filter((x) => x.includes('kubeconfig'))).toEqual([
      'model-canary post: removed the kubeconfig file of input kubeconfig.',
      'model-canary post: the kubeconfig file is already gone.',
    ]);
  });

  it('plants every kind of secret, has a command print them all, and finds none in the log, summary or outputs, nor the inputs in any child', async () => {
    const EXEC_ENV = 'aws-secret-from-exec-env-9Qz';
    const EXEC_ARG = 'exec-arg-token-7Hw2';
    const URL_PASSWORD = 'proxy-pass-5Tt';
    const REGISTRY_PASSWORD = 'registry-pass-4Kd8';
    const GITHUB_TOKEN = 'ghs_plantedGithubToken123';
    const planted = KUBECONFIG.replace(
      '- name: admin',
      [
        '- name: plugin',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1',
        '      command: aws',
        `      args: [eks, get-token, --region, eu-west-1, "--token=${EXEC_ARG}"]`,
        `      env: [{ name: AWS_SECRET_ACCESS_KEY, value: "${EXEC_ENV}" }]`,
        `    proxy-url: "http://user:${URL_PASSWORD}@10.0.0.9:3128"`,
        '- name: admin',
      ].join('\n'),
    );
    const envDump = path.join(tempDir('kc-env-'), 'env.txt');
    // A tool that prints every credential it can see on stderr and fails, as a verbose helm or plugin would.
    writeFileSync(
      path.join(bin, 'kubectl'),
      [
        '#!/bin/sh',
        `env > "${envDump}"`,
        'case "$1" in',
        '  version) echo \'{"clientVersion":{"gitVersion":"v1.34.4"}}\' ;;',
        `  *) cat "$KUBECONFIG" >&2; echo "login with ${REGISTRY_PASSWORD} as ${GITHUB_TOKEN}" >&2; exit 1 ;;`,
        'esac',
        '',
      ].join('\n'),
    );
    const inputEnv = {
      INPUT_KUBECONFIG: planted,
      'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
      MODEL_CANARY_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-8Jq',
    };
    for (const [k, v] of Object.entries(inputEnv)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const host = new MemoryHost();
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'status', kubeconfig: planted, githubToken: GITHUB_TOKEN },
      {
        workspace: fixtureWorkspace(),
        tempDir: tempDir('kc-runner-temp-'),
        searchPath: bin,
        registryUsername: 'ci',
        registryPassword: REGISTRY_PASSWORD,
        repository: 'acme/iris',
        commitSha: 'c0ffee'.padEnd(40, '0'),
        apiUrl: 'http://127.0.0.1:9',
      },
    );
    expect(code).toBe(1);
    // The failure was reported, with the tool's stderr, redacted.
    expect(host.log).toContain('Last lines of its stderr');
    expect(host.log).toContain('login with *** as ***');
    const everything = [host.log, host.summary, JSON.stringify(host.outputs ?? {})].join('\n');
    for (const secret of [TOKEN, KEY, 'hunter2-not-real', EXEC_ENV, EXEC_ARG, URL_PASSWORD, REGISTRY_PASSWORD, GITHUB_TOKEN])
      expect(everything).not.toContain(secret);
    // Flag names and public values of the plugin stay readable.
    expect(host.logger.secrets).not.toContain('--region');
    // No child saw the action's inputs, the registry password or the runtime token.
    const childEnv = readFileSync(envDump, 'utf8');
    for (const name of Object.keys(inputEnv)) expect(childEnv).not.toContain(`${name}=`);
    for (const value of [GITHUB_TOKEN, REGISTRY_PASSWORD, 'runtime-token-8Jq']) expect(childEnv).not.toContain(value);
    expect(childEnv).toContain('KUBECONFIG=');
  });

  it('writes no file when the input is not a kubeconfig, and says which input is wrong', async () => {
    const host = new MemoryHost();
    const runTemp = tempDir('kc-runner-temp-');
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'status', kubeconfig: 'clusters: 12\npassword: s3cr3t-value', githubToken: 'ghs_maskedFirst123' },
      { workspace: fixtureWorkspace(), tempDir: runTemp, searchPath: bin },
    );
    expect(code).toBe(1);
    expect(host.log).toMatch(/input kubeconfig: is not a kubeconfig/);
    expect(host.log).not.toContain('s3cr3t-value');
    expect(host.logger.secrets).toEqual(['ghs_maskedFirst123', 'clusters: 12\npassword: s3cr3t-value']);
    expect(readdirSync(runTemp)).toEqual([]);
    expect(existsSync(record)).toBe(false);
  });
});
