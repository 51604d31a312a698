import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../../src/core/context.js';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import type { Config } from '../../src/config/types.js';
import type { ReleaseRecord } from '../../src/decide/history.js';
import { GitHubApi } from '../../src/github/api.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { KubeSession } from '../../src/kube/session.js';
import { emptyOutputs } from '../../src/log/host.js';
import { fixtureWorkspace } from './fixtures.js';
import { MemoryHost } from './memory-host.js';
import { tempDir } from './temp.js';

export const TOKEN = 'ghs_unitTestToken0123456789';
export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const RUN_URL = 'https://github.example/acme/models/actions/runs/42';

/** The runner's environment for a run in acme/models against the fake API, optionally on pull request `pr`. */
export function githubEnv(apiUrl: string, pr?: number): RunEnvironment {
  const env: RunEnvironment = {
    workspace: fixtureWorkspace(),
    tempDir: tempDir('github-run-'),
    searchPath: '',
    commitSha: SHA,
    repository: 'acme/models',
    serverUrl: 'https://github.example',
    runId: '42',
    apiUrl,
    eventName: 'push',
  };
  if (pr !== undefined) {
    const file = path.join(env.tempDir, 'event.json');
    writeFileSync(file, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr } }));
    env.eventName = 'pull_request';
    env.eventPath = file;
  }
  return env;
}

/** The config the action would load with github-token for the command (model iris of the fixture workspace). */
export function githubConfig(env: RunEnvironment, inputs: Partial<RawInputs>): Config {
  return loadConfig({ ...DEFAULT_INPUTS, githubToken: TOKEN, ...inputs }, env);
}

/** A stage context whose cluster holds only the model's release history (what the reporter reads). */
export function reporterContext(history: ReleaseRecord[] = []): { ctx: StageContext; host: MemoryHost } {
  const host = new MemoryHost();
  const client = {
    get: async (p: string) => (p.endsWith('/configmaps/model-canary-iris-history') ? { data: { 'releases.json': JSON.stringify(history) } } : undefined),
  } as unknown as KubeClient;
  const kube = { client: async () => client } as unknown as KubeSession;
  const ctx = {
    host,
    kube,
    report: { command: 'release', configPath: 'model-canary.yaml', startedAt: new Date().toISOString(), stages: [], outputs: emptyOutputs(), sections: [] },
  } as unknown as StageContext;
  return { ctx, host };
}

/** A client for the fake API that records its waits instead of sleeping. */
export function fastApi(baseUrl: string, host: MemoryHost): GitHubApi {
  return new GitHubApi({ baseUrl, token: TOKEN, logger: host.logger, sleep: async () => undefined });
}
