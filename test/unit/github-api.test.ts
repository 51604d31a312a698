import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubApi, GitHubApiError, graphqlUrl, rateLimitWait } from '../../src/github/api.js';
import { tokenIdentity } from '../../src/github/identity.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { GITHUB_ACTIONS_BOT, rateLimited403, retryAfter429, serverError, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

const TOKEN = 'ghs_faketoken0123456789';
const DEPLOYMENTS = '/repos/acme/models/deployments';
const GOOD_BODY = { ref: 'a'.repeat(40), environment: 'staging', auto_merge: false, required_contexts: [] };

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
});
afterEach(async () => {
  await gh.close();
});

/** A client whose waits are recorded instead of slept. */
function client(options: { budgetMs?: number; maxAttempts?: number; baseUrl?: string; token?: string } = {}): {
  api: GitHubApi;
  waits: number[];
  logger: MemoryLogger;
} {
  const waits: number[] = [];
  const logger = new MemoryLogger();
  const api = new GitHubApi({
    baseUrl: options.baseUrl ?? gh.url,
    token: options.token ?? TOKEN,
    logger,
    sleep: async (ms) => void waits.push(ms),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  return { api, waits, logger };
}

async function failure(p: Promise<unknown>): Promise<GitHubApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitHubApiError);
  return err as GitHubApiError;
}

describe('GitHubApi', () => {
  it('sends the token as a bearer header and JSON bodies', async () => {
    const { api } = client();
    const created = await api.request<{ id: number }>('POST', DEPLOYMENTS, GOOD_BODY);
    expect(created.status).toBe(201);
    expect(gh.requests[0]).toMatchObject({ method: 'POST', path: DEPLOYMENTS, authorization: `Bearer ${TOKEN}`, body: GOOD_BODY });
  });

  it('retries 5xx answers with growing waits, then succeeds', async () => {
    gh.script('POST', DEPLOYMENTS, serverError(502), serverError(503), serverError(500));
    const { api, waits, logger } = client();
    const created = await api.request<{ id: number }>('POST', DEPLOYMENTS, GOOD_BODY);
    expect(created.status).toBe(201);
    expect(gh.requests.map((r) => r.status)).toEqual([502, 503, 500, 201]);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(logger.lines.join('\n')).toMatch(/failed \(503 Service Unavailable\); trying again in 2\.0 s \(try 3 of 5\)/);
    expect(gh.deployments).toHaveLength(1);
  });

  it('gives up after its tries, naming the endpoint and the last answer', async () => {
    gh.script('GET', DEPLOYMENTS, ...Array.from({ length: 6 }, () => serverError(502)));
    const { api } = client({ maxAttempts: 3 });
    const err = await failure(api.request('GET', DEPLOYMENTS));
    expect(err.message).toBe(`GitHub did not answer GET ${DEPLOYMENTS} after 3 tries: 502 Server Error.`);
    expect(gh.requests).toHaveLength(3);
  });

  it('stops retrying when the budget is spent', async () => {
    gh.script('GET', DEPLOYMENTS, ...Array.from({ length: 6 }, () => serverError(502)));
    const { api, waits } = client({ budgetMs: 3500 });
    await failure(api.request('GET', DEPLOYMENTS));
    expect(waits).toEqual([1000, 2000]);
  });

  it('retries network errors and says it could not reach the server', async () => {
    const closed = await startFakeGitHub();
    const url = closed.url;
    await closed.close();
    const { api, waits } = client({ baseUrl: url, maxAttempts: 2 });
    const err = await failure(api.request('GET', DEPLOYMENTS));
    expect(err.message).toMatch(new RegExp(`after 2 tries: could not reach ${url.replace(/\./g, '\\.')} \\(ECONNREFUSED\\)`));
    expect(waits).toEqual([1000]);
  });

  it('waits out a 403 rate limit until x-ratelimit-reset when within the budget', async () => {
    gh.script('POST', DEPLOYMENTS, rateLimited403(5));
    const { api, waits, logger } = client();
    expect((await api.request('POST', DEPLOYMENTS, GOOD_BODY)).status).toBe(201);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(4000);
    expect(waits[0]).toBeLessThanOrEqual(7000);
    expect(logger.lines.join('\n')).toMatch(/GitHub rate limit on POST \/repos\/acme\/models\/deployments \(403\); waiting [5-7] s/);
  });

  it('waits retry-after seconds on a 429', async () => {
    gh.script('GET', DEPLOYMENTS, retryAfter429(3));
    const { api, waits } = client();
    expect((await api.request('GET', DEPLOYMENTS)).status).toBe(200);
    expect(waits).toEqual([3000]);
  });

  it('fails clearly when the rate limit resets after the budget', async () => {
    gh.script('POST', DEPLOYMENTS, rateLimited403(3600));
    const { api, waits } = client({ budgetMs: 60_000 });
    const err = await failure(api.request('POST', DEPLOYMENTS, GOOD_BODY));
    expect(err.status).toBe(403);
    expect(err.message).toMatch(
      /^GitHub's rate limit stopped POST \/repos\/acme\/models\/deployments \(403: API rate limit exceeded for installation ID 1\.\); it resets at \d{4}-\d\d-\d\dT[\d:.]+Z, in 360\d s, more than the 60 s this step waits\.$/,
    );
    expect(err.hint).toMatch(/Run again after the reset/);
    expect(waits).toEqual([]);
    expect(gh.deployments).toHaveLength(0);
  });

  it('fails at once on 409 with the API message and the hint given for it', async () => {
    const { api, waits } = client();
    const err = await failure(api.request('POST', DEPLOYMENTS, { ...GOOD_BODY, auto_merge: true }, { 409: 'do this' }));
    expect(err.message).toBe(`GitHub refused POST ${DEPLOYMENTS} with 409: Conflict merging main into ${'a'.repeat(40)}.`);
    expect(err.hint).toBe('do this');
    expect(gh.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('fails at once on 422 with the field errors', async () => {
    const { api } = client();
    const err = await failure(api.request('POST', DEPLOYMENTS, { environment: 'x', auto_merge: false, required_contexts: [] }));
    expect(err.status).toBe(422);
    expect(err.message).toBe(`GitHub refused POST ${DEPLOYMENTS} with 422: Invalid request.; Deployment ref missing_field`);
    expect(err.hint).toMatch(/invalid/);
  });

  it('says what to do about a refused token, and a 403 that is not a rate limit is not retried', async () => {
    const { api } = client({ token: 'wrong' });
    const err = await failure(api.request('GET', DEPLOYMENTS));
    expect(err.message).toMatch(/with 401: Bad credentials/);
    expect(err.hint).toMatch(/github-token was refused/);
    gh.script('GET', DEPLOYMENTS, { status: 403, body: { message: 'Resource not accessible by integration' } });
    const forbidden = await failure(client().api.request('GET', DEPLOYMENTS));
    expect(forbidden.message).toMatch(/with 403: Resource not accessible by integration/);
    expect(forbidden.hint).toMatch(/permissions: deployments: write/);
  });
});

describe('rateLimitWait', () => {
  const at = (status: number, headers: Record<string, string>): { status: number; headers: Headers } => ({ status, headers: new Headers(headers) });
  const now = 1_700_000_000_000;
  it('reads retry-after first, then x-ratelimit-reset, and treats only 403/429 as limits', () => {
    expect(rateLimitWait(at(429, { 'retry-after': '7' }), now)).toBe(7000);
    expect(rateLimitWait(at(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), now)).toBe(31_000);
    expect(rateLimitWait(at(403, { 'retry-after': '2', 'x-ratelimit-remaining': '10' }), now)).toBe(2000);
    expect(rateLimitWait(at(429, {}), now)).toBe(60_000);
    expect(rateLimitWait(at(403, { 'x-ratelimit-remaining': '12' }), now)).toBeUndefined();
    expect(rateLimitWait(at(500, { 'retry-after': '1' }), now)).toBeUndefined();
  });
});

describe("GraphQL and the token's identity", () => {
  it('puts the GraphQL endpoint next to the REST base, GitHub Enterprise Server included', () => {
    expect(graphqlUrl('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrl('https://ghe.example/api/v3')).toBe('https://ghe.example/api/graphql');
  });

  it("learns the workflow token's bot account from GraphQL's viewer, which GET /user refuses", async () => {
    const { api } = client();
    const refused = await failure(api.request('GET', '/user'));
    expect(refused.message).toContain('403: Resource not accessible by integration');
    expect(await tokenIdentity(api)).toEqual({ login: GITHUB_ACTIONS_BOT.login, id: GITHUB_ACTIONS_BOT.id });
  });

  it('retries a GraphQL 5xx and throws the errors of a 200 answer', async () => {
    gh.script('POST', '/graphql', serverError(502), { status: 200, body: { errors: [{ message: 'Field viewer is broken' }] } });
    const { api, waits } = client();
    const err = await failure(tokenIdentity(api));
    expect(waits).toEqual([1000]);
    expect(err.message).toBe('GitHub refused POST /graphql: Field viewer is broken');
  });
});
