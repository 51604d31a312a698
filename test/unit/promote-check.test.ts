import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/config/cli-args.js';
import { DEFAULT_INPUTS, type RawInputs } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { ReleaseRecord } from '../../src/decide/history.js';
import { checkPromoteExpectations } from '../../src/decide/promote-check.js';
import { ModelCanaryError } from '../../src/errors.js';
import type { KubeClient } from '../../src/kube/client.js';
import { fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const REPO = 'registry.example:5000/team/iris';
const SMOKED = `sha256:${'1'.repeat(64)}`;
const OTHER = `sha256:${'2'.repeat(64)}`;
const CANARY = '/apis/apps/v1/namespaces/default/deployments/iris-canary';
const HISTORY = '/api/v1/namespaces/default/configmaps/model-canary-iris-history';

const record = (revision: number, verdict: ReleaseRecord['verdict'], digest: string): ReleaseRecord => ({
  revision,
  verdict,
  digest,
  image: `${REPO}@${digest}`,
  version: '1.0',
  time: '',
  runId: 'r',
});

/** The cluster as the promote finds it: a canary running `canary` (or none) and the history. */
function cluster(canary: string | undefined, history: ReleaseRecord[]): KubeClient {
  const objects: Record<string, unknown> = { [HISTORY]: { data: { 'releases.json': JSON.stringify(history) } } };
  if (canary) {
    objects[CANARY] = {
      metadata: { name: 'iris-canary' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'sidecar', image: 'busybox@sha256:' + '9'.repeat(64) },
              { name: 'model', image: `${REPO}@${canary}` },
            ],
          },
        },
      },
    };
  }
  return { get: async (p: string) => objects[p] } as unknown as KubeClient;
}

function promoteConfig(inputs: Partial<RawInputs>) {
  return loadConfig({ ...DEFAULT_INPUTS, command: 'promote', ...inputs }, { workspace: fixtureWorkspace(), tempDir: tempDir('promote-'), searchPath: '' });
}

async function refusal(p: Promise<void>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelCanaryError);
  expect((err as ModelCanaryError).kind).toBe('user');
  expect((err as ModelCanaryError).hint).toMatch(/^Nothing was promoted\./);
  return (err as Error).message;
}

describe('promote with expect-digest and expect-revision', () => {
  const history = [record(3, 'promoted', OTHER), record(4, 'held', SMOKED)];

  it('lets the promote go on when the held canary is the one that was smoked', async () => {
    await checkPromoteExpectations(cluster(SMOKED, history), promoteConfig({ expectDigest: SMOKED, expectRevision: '4' }));
    await checkPromoteExpectations(cluster(SMOKED, history), promoteConfig({ expectDigest: `${REPO}@${SMOKED}` }));
  });

  it('checks nothing (and reads nothing) without the inputs', async () => {
    const client = { get: async () => Promise.reject(new Error('must not be read')) } as unknown as KubeClient;
    await checkPromoteExpectations(client, promoteConfig({}));
  });

  it('refuses when the live canary runs another digest', async () => {
    expect(await refusal(checkPromoteExpectations(cluster(OTHER, history), promoteConfig({ expectDigest: SMOKED, expectRevision: '4' })))).toBe(
      `The canary iris-canary in namespace default runs ${OTHER}, not ${SMOKED} (the one that was smoked): another canary was deployed since.`,
    );
  });

  it('refuses when a later release holds a canary now', async () => {
    const later = [...history, record(5, 'held', OTHER)];
    expect(await refusal(checkPromoteExpectations(cluster(OTHER, later), promoteConfig({ expectRevision: '4' })))).toBe(
      `The newest held release of iris is revision 5 (${OTHER}), not revision 4: another release held a canary since.`,
    );
  });

  it('refuses when the canary is gone', async () => {
    expect(await refusal(checkPromoteExpectations(cluster(undefined, history), promoteConfig({ expectDigest: SMOKED, expectRevision: '4' })))).toBe(
      `There is no canary iris-canary in namespace default to promote; expected the held one (${SMOKED}, revision 4): it was promoted or rolled back since.`,
    );
  });

  it('refuses when the held revision was recorded with another digest than the canary runs', async () => {
    expect(await refusal(checkPromoteExpectations(cluster(OTHER, history), promoteConfig({ expectRevision: '4' })))).toBe(
      `Held revision 4 recorded ${SMOKED}, but the canary iris-canary runs ${OTHER}: the canary was changed after it was held.`,
    );
  });

  it('refuses when no held release is recorded', async () => {
    expect(await refusal(checkPromoteExpectations(cluster(SMOKED, [record(3, 'promoted', SMOKED)]), promoteConfig({ expectRevision: '3' })))).toMatch(
      /^No held release of iris is recorded in namespace default/,
    );
  });
});

describe('the inputs of a split release', () => {
  const ws = (): string => fixtureWorkspace();
  const problems = (inputs: Partial<RawInputs>, env: Record<string, string> = {}): string => {
    try {
      loadConfig({ ...DEFAULT_INPUTS, ...inputs }, { workspace: ws(), tempDir: tempDir('inputs-'), searchPath: '', ...env });
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('take a pinned image of the model repository for release, render and deploy', () => {
    const config = loadConfig(
      { ...DEFAULT_INPUTS, command: 'release', image: `${REPO}@${SMOKED}` },
      { workspace: ws(), tempDir: tempDir('inputs-'), searchPath: '' },
    );
    expect(config.run.prebuiltImage).toEqual({ reference: `${REPO}@${SMOKED}`, digest: SMOKED });
    expect(problems({ command: 'render', image: `${REPO}@${SMOKED}` })).toBe('');
  });

  it('say what to fix in an image of another form or repository, or for another command', () => {
    expect(problems({ command: 'release', image: `${REPO}:v1` })).toContain(`input image: "${REPO}:v1" is not repository@sha256:<64 hex>`);
    expect(problems({ command: 'release', image: `${REPO}:v1@${SMOKED}` })).toContain('is not repository@sha256:<64 hex>');
    expect(problems({ command: 'release', image: `registry.example:5000/team/other@${SMOKED}` })).toContain(
      `input image: its repository registry.example:5000/team/other is not image.repository of the model file (${REPO}); release the image built from this model file, or fix image.repository`,
    );
    expect(problems({ command: 'promote', image: `${REPO}@${SMOKED}` })).toContain(
      'input image: is used by command release, render, deploy, not promote; remove it (to check the held canary, give expect-digest)',
    );
  });

  it('check expect-digest and expect-revision, for promote only', () => {
    expect(problems({ command: 'promote', expectDigest: 'sha256:abc', expectRevision: 'v4' })).toMatch(
      /input expect-digest: "sha256:abc" is not a digest[\s\S]*input expect-revision: "v4" is not a revision number/,
    );
    expect(problems({ command: 'release', expectDigest: SMOKED })).toContain('input expect-digest: is checked by command promote only, not release; remove it');
    expect(problems({ command: 'promote', expectDigest: SMOKED, expectRevision: '4' })).toBe('');
  });

  it('need the repository and commit for github-token', () => {
    expect(problems({ command: 'release', githubToken: 'ghs_x' })).toContain('input github-token: GITHUB_REPOSITORY and GITHUB_SHA are not set');
    expect(problems({ command: 'release', githubToken: 'ghs_x' }, { repository: 'acme/models', commitSha: 'a'.repeat(40) })).toBe('');
    expect(problems({ command: 'release', githubToken: 'ghs x' }, { repository: 'acme/models', commitSha: 'a'.repeat(40) })).toContain(
      'input github-token: contains whitespace',
    );
  });

  it('are CLI flags too, except the credentials', () => {
    const args = parseCliArgs(['promote', '--expect-digest', SMOKED, '--expect-revision', '4', '--image', `${REPO}@${SMOKED}`]);
    expect(args.inputs).toMatchObject({
      command: 'promote',
      expectDigest: SMOKED,
      expectRevision: '4',
      image: `${REPO}@${SMOKED}`,
      kubeconfig: '',
      githubToken: '',
    });
    expect(() => parseCliArgs(['release', '--github-token', 'x'])).toThrow(/Unknown option '--github-token'/);
    expect(() => parseCliArgs(['release', '--kubeconfig', 'x'])).toThrow(/Unknown option '--kubeconfig'/);
  });
});
