import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { ensureNode24 } from '../helpers/node24.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { BASE_IMAGE, kubectl, REGISTRY, REPO_ROOT, uniqueName } from './cluster-env.js';
import { getJson, imageOf, leastPrivilegeNamespace, type LiveDeployment } from './deploy-env.js';
import { toolPath, trivyCacheDir } from './run-command.js';

// The reusable workflows run for real: act (built from the Go module proxy by cluster/act.sh) executes them on
// this host (platform "-self-hosted": no job containers) against the real local cluster, as a team's
// repository would use them:
//   - the team's caller workflow (fixtures/workflows/team-repo) calls release-model.yml, which builds and
//     scans the example model (examples/iris), uploads the SARIF and releases it by digest: v1 becomes stable,
//     then v2 is deployed as a canary, smoked and promoted;
//   - examples/workflows/rollback-dispatch.yml, copied unchanged into the team's repository and dispatched,
//     calls rollback-model.yml, which restores the previous revision.
// The only cluster credential in the runs is the kubeconfig secret of a ServiceAccount bound to the Role of
// docs/rbac.yaml: act's environment has no KUBECONFIG and its HOME is empty. GitHub's API is the local fake
// of test/helpers/fake-github.ts (GITHUB_API_URL), which records the Deployments.
//
// Stand-ins, in this test only (the workflow files stay unchanged; act maps them with --local-repository):
//   - model-canary/model-canary@<pinned SHA> (the action and the reusable workflows): this checkout, as a
//     clone would hold it (without node_modules, .git and local output); its dist/ must be built;
//   - github/codeql-action@<pinned SHA> (upload-sarif): fixtures/workflows/stand-ins/codeql-action, which
//     checks the file is SARIF 2.1.0 and records it instead of uploading it;
//   - actions/upload-artifact@<pinned SHA>: fixtures/workflows/stand-ins/upload-artifact, which records the
//     files it would have kept.
// actions/checkout needs none: act runs it as its own local checkout (the job's workspace is a fresh copy of
// the team's repository). The workflows use no other action.

const FIXTURES = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workflows');
const TOKEN = 'ghs_workflowtest0000000000000000000000';
const ENVIRONMENT = 'staging';
const MODEL = 'iris';
const REPOSITORY = `${REGISTRY}/e2e/iris-workflows`;
/** act's log of each run, kept after the test (the repository ignores .model-canary/). */
const LOGS = path.join(REPO_ROOT, '.model-canary', 'workflows');
/** A release builds the example (cold: a training stage and a slimmed runtime), scans, deploys and smokes it. */
const RELEASE_TIMEOUT = 20 * 60_000;

/** Every `owner/repo[/path]@<ref>` a workflow file uses, as [owner/repo, ref, whether it calls a reusable workflow]. */
function pinnedUses(file: string): [string, string, boolean][] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w.-]+)(\/[^@\s]*)?@(\S+)/gm)].map((m) => [
    m[1] ?? '',
    m[3] ?? '',
    (m[2] ?? '').startsWith('/.github/workflows/'),
  ]);
}

const OUR_WORKFLOWS = ['release-model.yml', 'rollback-model.yml', 'promote-model.yml'].map((f) => path.join(REPO_ROOT, '.github', 'workflows', f));
const EXAMPLES = ['release-step.yml', 'release-reusable.yml', 'rollback-dispatch.yml', 'promote-dispatch.yml'].map((f) =>
  path.join(REPO_ROOT, 'examples', 'workflows', f),
);
const CALLER = path.join(FIXTURES, 'team-repo', '.github', 'workflows', 'release.yml');
const BAD_CALLER = path.join(FIXTURES, 'team-repo', '.github', 'workflows', 'bad-inputs.yml');
const MANUAL_CALLER = path.join(FIXTURES, 'team-repo', '.github', 'workflows', 'release-manual.yml');

interface ActRun {
  code: number | null;
  log: string;
  seconds: number;
}

interface Release {
  result: string;
  image: string;
  digest: string;
  verdict: string;
  revision: string;
}

interface HistoryRecord {
  revision: number;
  digest: string;
  image: string;
  verdict: string;
  environment?: string;
  restoredFrom?: number;
}

let act = '';
let node24Dir = '';
let ns = '';
let kubeconfig = '';
let github: FakeGitHub | undefined;
let team = '';
let work = '';
let recordsDir = '';
let localRepositories: string[] = [];
const releases: Release[] = [];
const timings: Record<string, number> = {};
const logs: Record<string, string> = {};

function git(args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Team', '-c', 'user.email=team@example.invalid', ...args], { cwd: team, encoding: 'utf8' });
}

/** The model-canary repository as a clone at the pinned commit holds it: this checkout without what git ignores here. */
function exportModelCanary(): string {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const dir = path.join(work, 'model-canary');
  const skip = new Set(['node_modules', '.git', '.model-canary'].map((d) => path.join(REPO_ROOT, d)));
  cpSync(REPO_ROOT, dir, { recursive: true, filter: (src) => !skip.has(src) });
  return dir;
}

/** The team's model file: the example's, with this test's registry repository, namespace and offline scan policy. */
function writeModelFile(variant: 'v1' | 'v2'): void {
  const config = parseYaml(readFileSync(path.join(REPO_ROOT, 'examples', 'iris', 'model-canary.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  config['model'] = { ...config['model'], version: variant === 'v1' ? '1.0.0' : '2.0.0' };
  const image = config['image'] as { buildArgs: Record<string, string> } & Record<string, unknown>;
  config['image'] = { ...image, repository: REPOSITORY, buildArgs: { ...image.buildArgs, BASE_IMAGE, VARIANT: variant } };
  config['cluster'] = { namespace: ns };
  // The offline database of invented advisories plants one CRITICAL the demo accepts (as scripts/demo.sh does).
  config['scan'] = { ignoreFile: 'examples/iris/demo.trivyignore', ignoreUnfixed: true };
  config['canary'] = { ...config['canary'], lockTimeout: '2m' };
  // The bake window is tested in test/e2e/analysis.test.ts; here it would only add minutes.
  config['analysis'] = { duration: '0s', postPromotion: '0s' };
  writeFileSync(path.join(team, 'model-canary.yaml'), stringifyYaml(config));
}

/** A team's repository: the iris example (what its Dockerfile reads), its model file and the caller workflow. */
function makeTeamRepo(): void {
  team = path.join(work, 'iris-models');
  mkdirSync(team);
  for (const rel of [
    '.dockerignore',
    'examples/iris',
    'templates/docker/server/serve.py',
    'templates/docker/server/model_server',
    'templates/docker/tools/slim.sh',
    'templates/docker/tools/install-deps.sh',
    'templates/docker/sklearn/requirements.txt',
  ]) {
    cpSync(path.join(REPO_ROOT, rel), path.join(team, rel), { recursive: true });
  }
  cpSync(CALLER, path.join(team, '.github', 'workflows', 'release.yml'));
  writeModelFile('v1');
  git(['init', '-q', '-b', 'main']);
  // act names the repository after its remote; nothing is fetched from it.
  git(['remote', 'add', 'origin', 'https://github.com/acme/iris-models.git']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'iris v1']);
}

/** act's secrets file (dotenv): the kubeconfig's lines joined with \n inside double quotes. */
function writeSecrets(): string {
  const content = readFileSync(kubeconfig, 'utf8');
  if (/["\\$`]/.test(content)) throw new Error('the kubeconfig holds a character this dotenv quoting does not escape');
  const file = path.join(work, 'secrets.env');
  writeFileSync(file, `KUBECONFIG="${content.replaceAll('\n', '\\n')}"\nGITHUB_TOKEN=${TOKEN}\n`, { mode: 0o600 });
  return file;
}

/** Runs act in the team's repository; its log is kept in LOGS. */
async function runAct(name: string, args: string[], env: Record<string, string> = {}): Promise<ActRun> {
  const home = path.join(work, `home-${name}`);
  mkdirSync(home);
  const trivy = trivyCacheDir();
  const argv = [
    ...args,
    '-P',
    'ubuntu-24.04=-self-hosted',
    '-P',
    'ubuntu-latest=-self-hosted',
    ...localRepositories.flatMap((l) => ['--local-repository', l]),
    '--secret-file',
    path.join(work, 'secrets.env'),
    '--env',
    `GITHUB_API_URL=${github?.url ?? ''}`,
    '--env',
    `MODEL_CANARY_STAND_IN_RECORDS=${recordsDir}`,
    '--action-cache-path',
    path.join(home, 'act-cache'),
    '--no-cache-server',
  ];
  for (const [k, v] of Object.entries(env)) argv.push('--env', `${k}=${v}`);
  const started = Date.now();
  // Exactly this environment (jobs on the host inherit it): no KUBECONFIG, an empty HOME, Node 24 first.
  const processEnv: Record<string, string> = {
    PATH: [node24Dir, toolPath()].join(path.delimiter),
    HOME: home,
    LANG: 'C.UTF-8',
    TRIVY_CACHE_DIR: trivy,
    TRIVY_SKIP_DB_UPDATE: 'true',
    TRIVY_SKIP_JAVA_DB_UPDATE: 'true',
    TRIVY_OFFLINE_SCAN: 'true',
    TRIVY_CACHE_BACKEND: 'memory',
  };
  return new Promise<ActRun>((resolve, reject) => {
    const child = spawn(act, argv, { cwd: team, env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), 15 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      writeFileSync(path.join(LOGS, `act-${name}.log`), log);
      const seconds = Math.round((Date.now() - started) / 1000);
      timings[name] = seconds;
      logs[name] = log;
      resolve({ code, log, seconds });
    });
  });
}

function tail(log: string, lines = 120): string {
  return log.split('\n').slice(-lines).join('\n');
}

/** One push to the team's main branch: act runs the caller workflow; returns the called workflow's outputs. */
async function releaseThroughWorkflow(name: string, args = ['push', '-W', '.github/workflows/release.yml']): Promise<Release> {
  const out = path.join(work, `${name}.json`);
  const run = await runAct(name, args, { RELEASE_RECORD: out });
  expect(run.code, `act ${name} failed; the end of its log:\n${tail(run.log)}`).toBe(0);
  // The summary job ran after the release and saw its outputs.
  expect(run.log).toMatch(/build: success, release: success, verdict: (promoted|held), revision: \d+, image: \S+@sha256:/);
  const release = JSON.parse(readFileSync(out, 'utf8')) as Release;
  releases.push(release);
  return release;
}

async function stable(): Promise<LiveDeployment | undefined> {
  return getJson<LiveDeployment>(ns, ['deployment', MODEL]);
}

async function history(): Promise<HistoryRecord[]> {
  const cm = await getJson<{ data?: Record<string, string> }>(ns, ['configmap', `model-canary-${MODEL}-history`]);
  return JSON.parse(cm?.data?.['releases.json'] ?? '[]') as HistoryRecord[];
}

function artifactUploads(): { name: string; files: { name: string; size: number; text: string }[] }[] {
  if (!existsSync(recordsDir)) return [];
  return readdirSync(recordsDir)
    .filter((f) => f.startsWith('upload-artifact-'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(recordsDir, f), 'utf8')) as ReturnType<typeof artifactUploads>[number]);
}

function sarifUploads(): { category: string; sha: string; sarif: { version: string; runs: { tool: { driver: { name: string } } }[] } }[] {
  if (!existsSync(recordsDir)) return [];
  return readdirSync(recordsDir)
    .filter((f) => f.startsWith('upload-sarif-'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(recordsDir, f), 'utf8')) as ReturnType<typeof sarifUploads>[number]);
}

beforeAll(async () => {
  mkdirSync(LOGS, { recursive: true });
  act =
    execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'act.sh')], { encoding: 'utf8', timeout: 15 * 60_000 })
      .trim()
      .split('\n')
      .pop() ?? '';
  node24Dir = path.dirname(ensureNode24());
  work = tempDir('model-canary-workflows-');
  recordsDir = path.join(work, 'stand-in-records');
  ns = uniqueName('e2e-wf');
  kubeconfig = await leastPrivilegeNamespace(ns);
  github = await startFakeGitHub({ token: TOKEN });
  const exported = exportModelCanary();
  makeTeamRepo();
  writeSecrets();
  // Each pinned reference to model-canary (the workflows, the caller, the examples) is this checkout.
  const ours = new Set<string>();
  const codeql = new Set<string>();
  const artifacts = new Set<string>();
  for (const file of [...OUR_WORKFLOWS, ...EXAMPLES, CALLER, BAD_CALLER, MANUAL_CALLER]) {
    for (const [repo, sha] of pinnedUses(file)) {
      if (repo === 'model-canary/model-canary') ours.add(sha);
      if (repo === 'github/codeql-action') codeql.add(sha);
      if (repo === 'actions/upload-artifact') artifacts.add(sha);
    }
  }
  localRepositories = [
    ...[...ours].map((sha) => `model-canary/model-canary@${sha}=${exported}`),
    ...[...codeql].map((sha) => `github/codeql-action@${sha}=${path.join(FIXTURES, 'stand-ins', 'codeql-action')}`),
    ...[...artifacts].map((sha) => `actions/upload-artifact@${sha}=${path.join(FIXTURES, 'stand-ins', 'upload-artifact')}`),
  ];
}, 30 * 60_000);

afterAll(async () => {
  console.log(`act runs (s): ${JSON.stringify(timings)}; their logs: ${LOGS}`);
  await github?.close();
  if (ns) await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  removeTempDirs();
}, 120_000);

describe('the workflow files', () => {
  it("are valid for actionlint: ours, the examples and this test's team repository", () => {
    const version = /^ACTIONLINT_VERSION=(\S+)$/m.exec(readFileSync(path.join(REPO_ROOT, 'cluster', 'versions.env'), 'utf8'))?.[1] ?? '';
    const actionlint = path.join(process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary', 'bin', `actionlint-${version}`, 'actionlint');
    const teamWorkflows = readdirSync(path.dirname(CALLER)).map((f) => path.join(path.dirname(CALLER), f));
    expect(teamWorkflows).toEqual(expect.arrayContaining([CALLER, BAD_CALLER, MANUAL_CALLER]));
    // Throws with actionlint's findings when it exits non-zero.
    execFileSync(actionlint, ['-no-color', ...OUR_WORKFLOWS, ...EXAMPLES, ...teamWorkflows], { cwd: REPO_ROOT, encoding: 'utf8' });
  });

  it("pin every action and reusable workflow by a full commit SHA, and model-canary at the commits of this checkout's action and workflows", () => {
    const refs = [...OUR_WORKFLOWS, ...EXAMPLES, CALLER, BAD_CALLER, MANUAL_CALLER].flatMap((f) =>
      pinnedUses(f).map(([repo, sha, workflow]) => ({ file: path.basename(f), repo, sha, workflow })),
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(ref.sha, `${ref.file}: ${ref.repo}`).toMatch(/^[0-9a-f]{40}$/);
    // Our workflows run the action at one commit whose action.yml and dist/ are this checkout's (a stale pin
    // would run an older action than the one tested); callers pin the reusable workflows at one commit whose
    // workflows are this checkout's. Releasing is two commits: pin the action, then pin the workflows.
    const ours = refs.filter((r) => r.repo === 'model-canary/model-canary');
    const actionPins = new Set(ours.filter((r) => !r.workflow).map((r) => r.sha));
    const workflowPins = new Set(ours.filter((r) => r.workflow).map((r) => r.sha));
    expect(actionPins.size, [...actionPins].join(' ')).toBe(1);
    expect(workflowPins.size, [...workflowPins].join(' ')).toBe(1);
    const tree = (sha: string, file: string): string => execFileSync('git', ['rev-parse', `${sha}:${file}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    for (const file of ['action.yml', 'dist'])
      expect(tree([...actionPins][0] ?? '', file), `the action pin is stale for ${file}: pin the commit that last changed it`).toBe(tree('HEAD', file));
    expect(
      tree([...workflowPins][0] ?? '', '.github/workflows'),
      'the reusable workflows pin is stale: pin the commit that last changed .github/workflows',
    ).toBe(tree('HEAD', '.github/workflows'));
    // Every pinned line says which version it is.
    for (const file of [...OUR_WORKFLOWS, ...EXAMPLES]) {
      for (const line of readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^\s*(-\s+)?uses:\s*\S+@/.test(l))) {
        expect(line, path.basename(file)).toMatch(/@[0-9a-f]{40} # \S/);
      }
    }
  });
});

describe('release-model.yml refuses bad inputs', () => {
  it('names every bad input and stops before building, and no input reaches a shell as code', async () => {
    const marker = '/tmp/model-canary-workflow-injected'; // what the fixture's environment name would touch
    rmSync(marker, { force: true });
    cpSync(BAD_CALLER, path.join(team, '.github', 'workflows', 'bad-inputs.yml'));
    const run = await runAct('bad-inputs', ['workflow_dispatch', '-W', '.github/workflows/bad-inputs.yml']);
    rmSync(path.join(team, '.github', 'workflows', 'bad-inputs.yml'));
    expect(run.code, tail(run.log)).not.toBe(0);
    for (const input of ['environment', 'config', 'image-tag', 'decision-mode']) {
      expect(run.log).toMatch(new RegExp(`::error title=release-model input::${input} must be`));
    }
    expect(run.log).toMatch(/Failure - Main Check the inputs/);
    expect(run.log).not.toMatch(/Run Main Build the image/);
    expect(run.log).toMatch(/build: failure, release: skipped/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the reusable workflows under act, on the real cluster', () => {
  it(
    'a push to the team repository releases v1 through release-model.yml: built, scanned, SARIF uploaded, deployed as stable',
    async () => {
      const release = await releaseThroughWorkflow('release-v1');
      expect(release).toMatchObject({ result: 'success', verdict: 'promoted', revision: '1' });
      expect(release.image).toMatch(new RegExp(`^${REPOSITORY.replaceAll('.', '\\.')}@sha256:[0-9a-f]{64}$`));
      expect(release.image.endsWith(`@${release.digest}`)).toBe(true);
      expect(imageOf(await stable())).toBe(release.image);
      expect(await getJson(ns, ['deployment', `${MODEL}-canary`])).toBeUndefined();

      const uploads = sarifUploads();
      expect(uploads).toHaveLength(1);
      expect(uploads[0]).toMatchObject({ category: 'model-canary/model-canary.yaml', sha: git(['rev-parse', 'HEAD']).trim() });
      expect(uploads[0]?.sarif.version).toBe('2.1.0');
      expect(uploads[0]?.sarif.runs[0]?.tool.driver.name).toBe('Trivy');

      const records = await history();
      expect(records.map((r) => [r.revision, r.verdict, r.image, r.environment])).toEqual([[1, 'promoted', release.image, ENVIRONMENT]]);
    },
    RELEASE_TIMEOUT,
  );

  it(
    'the next push releases v2 as a canary beside v1, smokes it and promotes it',
    async () => {
      writeModelFile('v2');
      git(['commit', '-q', '-am', 'iris v2: retrained']);
      const release = await releaseThroughWorkflow('release-v2');
      expect(release).toMatchObject({ result: 'success', verdict: 'promoted', revision: '2' });
      expect(release.image).not.toBe(releases[0]?.image);
      const live = await stable();
      expect(imageOf(live)).toBe(release.image);
      expect(live?.metadata.labels?.['app.kubernetes.io/version']).toBe('2.0.0');
      expect(await getJson(ns, ['deployment', `${MODEL}-canary`])).toBeUndefined();
      expect((await history()).map((r) => [r.revision, r.verdict])).toEqual([
        [1, 'promoted'],
        [2, 'promoted'],
      ]);
      expect(sarifUploads()).toHaveLength(2);
      // The report the summary names is kept as the run's artifact: the smoke JSON of this release (no analysis
      // window here), the one the summary names.
      const kept = artifactUploads().at(-1);
      expect(kept?.name).toMatch(/^model-canary-reports-\d+$/);
      const smoke = kept?.files.find((f) => /^smoke-iris-.*\.json$/.test(f.name));
      expect(smoke, kept?.files.map((f) => f.name).join(', ')).toBeDefined();
      expect((JSON.parse(smoke?.text ?? '{}') as { verdict?: string }).verdict).toBe('pass');
    },
    RELEASE_TIMEOUT,
  );

  it('recorded each release as a GitHub Deployment of the environment, the superseded one inactive', () => {
    const deployments = github?.deployments ?? [];
    const releasesRecorded = deployments.filter((d) => d.environment === ENVIRONMENT);
    expect(releasesRecorded.length, JSON.stringify(github?.requests.map((r) => `${r.method} ${r.path} ${r.status}`))).toBeGreaterThanOrEqual(2);
    for (const d of releasesRecorded) {
      expect(d).toMatchObject({ repository: 'acme/iris-models', auto_merge: false, required_contexts: [] });
      expect(d.statuses.map((s) => s.state)).toContain('in_progress');
    }
    const [second, first] = [...releasesRecorded].sort((a, b) => b.id - a.id);
    expect(github?.stateOf(second?.id ?? 0)).toBe('success');
    expect(github?.stateOf(first?.id ?? 0)).toBe('inactive');
  });

  it(
    'examples/workflows/rollback-dispatch.yml, dispatched in the team repository, restores the previous revision',
    async () => {
      const v1 = releases[0]?.image ?? '';
      const v2 = releases[1]?.image ?? '';
      expect(v1).not.toBe('');
      cpSync(path.join(REPO_ROOT, 'examples', 'workflows', 'rollback-dispatch.yml'), path.join(team, '.github', 'workflows', 'rollback.yml'));
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'add the rollback workflow']);
      const started = Date.now();
      const run = await runAct('rollback', ['workflow_dispatch', '-W', '.github/workflows/rollback.yml', '--input', `environment=${ENVIRONMENT}`]);
      expect(run.code, `act rollback failed; the end of its log:\n${tail(run.log)}`).toBe(0);
      console.log(`rollback dispatch: ${Math.round((Date.now() - started) / 1000)}s with act`);
      // No build and no scan: the called workflow has one job, and it rolled back.
      expect(run.log).not.toMatch(/command: (build|scan)\b|Build the image|Scan the image/);
      expect(run.log).toMatch(/Success - Main Roll back/);
      // What it did is in the job summary (act prints the summary the step wrote).
      expect(run.log).toMatch(/Summary - [\s\S]*Restored/);

      const live = await stable();
      expect(imageOf(live)).toBe(v1);
      expect(imageOf(live)).not.toBe(v2);
      expect(live?.metadata.labels?.['app.kubernetes.io/version']).toBe('1.0.0');
      const records = await history();
      expect(records.at(-1)).toMatchObject({ revision: 3, verdict: 'restored', restoredFrom: 1, image: v1, environment: ENVIRONMENT });
      // The rollback records its own deployment, successful.
      const last = [...(github?.deployments ?? [])].sort((a, b) => b.id - a.id)[0];
      expect(last?.environment).toBe(ENVIRONMENT);
      expect(github?.stateOf(last?.id ?? 0)).toBe('success');
      expect(sarifUploads()).toHaveLength(2);
    },
    RELEASE_TIMEOUT,
  );

  it(
    'a release with decision-mode manual holds the canary; examples/workflows/promote-dispatch.yml promotes exactly that canary',
    async () => {
      cpSync(MANUAL_CALLER, path.join(team, '.github', 'workflows', 'release-manual.yml'));
      cpSync(path.join(REPO_ROOT, 'examples', 'workflows', 'promote-dispatch.yml'), path.join(team, '.github', 'workflows', 'promote.yml'));
      writeModelFile('v2');
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'release by hand from now on']);
      const held = await releaseThroughWorkflow('release-manual', ['workflow_dispatch', '-W', '.github/workflows/release-manual.yml']);
      expect(held).toMatchObject({ result: 'success', verdict: 'held', revision: '4' });
      const canary = await getJson<LiveDeployment>(ns, ['deployment', `${MODEL}-canary`]);
      expect(imageOf(canary)).toBe(held.image);
      expect(imageOf(await stable())).toBe(releases[0]?.image);

      const promote = (name: string, digest: string, revision: string): Promise<ActRun> =>
        runAct(name, [
          'workflow_dispatch',
          '-W',
          '.github/workflows/promote.yml',
          '--input',
          `environment=${ENVIRONMENT}`,
          '--input',
          'decision=promote',
          '--input',
          `expect-digest=${digest}`,
          '--input',
          `expect-revision=${revision}`,
        ]);

      // Not the canary that was smoked (another revision): refused, nothing changed.
      const refused = await promote('promote-refused', held.digest, '3');
      expect(refused.code, tail(refused.log)).not.toBe(0);
      expect(refused.log).toMatch(/Success - Main Check the inputs/);
      expect(refused.log).toMatch(/Failure - Main Promote the canary/);
      expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', `${MODEL}-canary`]))).toBe(held.image);
      expect(imageOf(await stable())).toBe(releases[0]?.image);

      const run = await promote('promote', held.digest, held.revision);
      expect(run.code, `act promote failed; the end of its log:\n${tail(run.log)}`).toBe(0);
      expect(imageOf(await stable())).toBe(held.image);
      expect(await getJson(ns, ['deployment', `${MODEL}-canary`])).toBeUndefined();
      expect((await history()).at(-1)).toMatchObject({ verdict: 'promoted', image: held.image });
    },
    RELEASE_TIMEOUT,
  );

  it(
    'promote-dispatch.yml with decision reject removes only the canary that was smoked; stable stays',
    async () => {
      const stableBefore = imageOf(await stable());
      const held = await releaseThroughWorkflow('release-manual-2', ['workflow_dispatch', '-W', '.github/workflows/release-manual.yml']);
      expect(held).toMatchObject({ result: 'success', verdict: 'held' });
      expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', `${MODEL}-canary`]))).toBe(held.image);
      const reject = (name: string, revision: string): Promise<ActRun> =>
        runAct(name, [
          'workflow_dispatch',
          '-W',
          '.github/workflows/promote.yml',
          '--input',
          `environment=${ENVIRONMENT}`,
          '--input',
          'decision=reject',
          '--input',
          `expect-digest=${held.digest}`,
          '--input',
          `expect-revision=${revision}`,
        ]);

      // An older revision than the held one: refused before anything changes.
      const refused = await reject('reject-refused', String(Number(held.revision) - 1));
      expect(refused.code, tail(refused.log)).not.toBe(0);
      expect(refused.log).toMatch(/Failure - Main Check the canary is the one that was smoked/);
      expect(refused.log).not.toMatch(/Run Main Reject the canary/);
      expect(imageOf(await getJson<LiveDeployment>(ns, ['deployment', `${MODEL}-canary`]))).toBe(held.image);

      const run = await reject('reject', held.revision);
      expect(run.code, `act reject failed; the end of its log:\n${tail(run.log)}`).toBe(0);
      expect(await getJson(ns, ['deployment', `${MODEL}-canary`])).toBeUndefined();
      expect(imageOf(await stable())).toBe(stableBefore);
      expect((await history()).at(-1)).toMatchObject({ revision: Number(held.revision) + 1, verdict: 'rolled-back', image: held.image });
    },
    RELEASE_TIMEOUT,
  );

  it('never printed the kubeconfig secret: its token appears in no log', () => {
    const token = /token: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(Object.keys(logs)).toEqual(expect.arrayContaining(['release-v1', 'release-v2', 'rollback', 'release-manual', 'promote']));
    for (const [name, log] of Object.entries(logs)) expect(log.includes(token), `act-${name}.log holds the token`).toBe(false);
  });
});
