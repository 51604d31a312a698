import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local HTTP server that answers like GitHub's REST API for the endpoints model-canary uses:
 * deployments, deployment statuses, issue comments, and who the token is (GET /user and GraphQL's
 * viewer, answered as GitHub answers each kind of token). It keeps state (ids, newest first, like GitHub),
 * records every request, checks the token, and refuses what GitHub refuses (a deployment asking to
 * auto-merge or to wait for status contexts gets 409, an unknown status state 422). Failures can be
 * scripted per endpoint: 5xx, 409, 422, rate limits (403 with x-ratelimit-remaining 0 and
 * x-ratelimit-reset, 429 with retry-after).
 *
 * Used by the unit tests of src/github and by the end-to-end tests that run the action (or a workflow
 * under `act`) with GITHUB_API_URL / MODEL_CANARY_GITHUB_API_URL pointed at `url`.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  /** The status the server answered. */
  status: number;
}

export interface FakeStatus {
  id: number;
  state: string;
  description: string;
  log_url?: string;
  environment_url?: string;
  created_at: string;
}

export interface FakeDeployment {
  id: number;
  repository: string;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string;
  payload: unknown;
  auto_merge: unknown;
  required_contexts: unknown;
  transient_environment: unknown;
  created_at: string;
  /** Oldest first. */
  statuses: FakeStatus[];
}

/** A GitHub account as REST shows it in a comment's user. */
export interface FakeAccount {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The account behind the workflow's GITHUB_TOKEN, as the REST API shows it. */
export const GITHUB_ACTIONS_BOT: FakeAccount = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface FakeComment {
  id: number;
  repository: string;
  issue: number;
  body: string;
  html_url: string;
  /** Who wrote it: the token's account for comments posted through the API. */
  user: FakeAccount;
  /** How many times it was edited. */
  edits: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeGitHub {
  /** Base URL, http://127.0.0.1:<port>: what GITHUB_API_URL would be. */
  url: string;
  requests: RecordedRequest[];
  deployments: FakeDeployment[];
  comments: FakeComment[];
  /**
   * The next requests matching method and path (a regular expression or the exact path, query excluded)
   * get these answers, one each, before the server answers normally again.
   */
  script(method: string, path: RegExp | string, ...responses: ScriptedResponse[]): void;
  /** The latest status state of a deployment. */
  stateOf(id: number): string | undefined;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to listen on (default 127.0.0.1). */
  host?: string;
  /** When set, requests must carry `Authorization: Bearer <token>` (or `token <token>`), else 401. */
  token?: string;
  /**
   * The token's account (default: github-actions[bot], the workflow's GITHUB_TOKEN). A Bot is an
   * installation token: GET /user refuses it with 403, as GitHub does; GraphQL's viewer answers either kind.
   */
  account?: FakeAccount;
}

/** GitHub's answer for a primary rate limit, resetting in resetInSeconds. */
export function rateLimited403(resetInSeconds: number): ScriptedResponse {
  return {
    status: 403,
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    },
  };
}

/** GitHub's answer for a secondary rate limit: 429 with retry-after. */
export function retryAfter429(seconds: number): ScriptedResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(seconds) },
    body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
  };
}

export function serverError(status = 502): ScriptedResponse {
  return { status, body: { message: status === 502 ? 'Server Error' : 'Service Unavailable' } };
}

const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

/** Starts the fake API on a free port of 127.0.0.1 (or the given one) and records what it is asked. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const deployments: FakeDeployment[] = [];
  const comments: FakeComment[] = [];
  const scripts: { method: string; path: RegExp | string; responses: ScriptedResponse[] }[] = [];
  let nextId = 1000;
  const account = options.account ?? GITHUB_ACTIONS_BOT;
  const now = (): string => new Date().toISOString();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = text;
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
      status: 0,
    };
    requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    const scripted = scripts.find(
      (s) => s.method === method && (typeof s.path === 'string' ? s.path === url.pathname : s.path.test(url.pathname)) && s.responses.length > 0,
    );
    if (scripted) {
      const answer = scripted.responses.shift() as ScriptedResponse;
      send(answer.status, answer.body ?? { message: `scripted ${answer.status}` }, answer.headers ?? {});
      return;
    }
    if (options.token !== undefined) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${options.token}` && auth !== `token ${options.token}`) {
        send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;

    if (url.pathname === '/user' && method === 'GET') {
      if (account.type === 'Bot')
        return send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        });
      return send(200, account);
    }
    if (url.pathname === '/graphql' && method === 'POST') {
      const query = typeof b['query'] === 'string' ? b['query'] : '';
      if (!/^\s*(query\s*)?\{\s*viewer\s*\{[\s\w]*\}\s*\}\s*$/.test(query))
        return send(200, { errors: [{ message: `fake-github answers only a viewer query, not: ${query}` }] });
      return send(200, { data: { viewer: { login: account.login, databaseId: account.id } } });
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/deployments$/.exec(url.pathname))) {
      const repository = m[1] as string;
      if (method === 'POST') {
        if (typeof b['ref'] !== 'string' || b['ref'] === '')
          return send(422, { message: 'Invalid request.', errors: [{ resource: 'Deployment', field: 'ref', code: 'missing_field' }] });
        // GitHub's defaults: merge the default branch in (auto_merge true), wait for every status context.
        if (b['auto_merge'] !== false) return send(409, { message: `Conflict merging main into ${b['ref']}.` });
        if (!Array.isArray(b['required_contexts']) || b['required_contexts'].length > 0)
          return send(409, {
            message: 'Conflict: Commit status checks failed for main.',
            errors: [{ contexts: [{ context: 'ci', state: 'pending' }], resource: 'Deployment', field: 'required_contexts' }],
          });
        const d: FakeDeployment = {
          id: ++nextId,
          repository,
          ref: b['ref'],
          sha: b['ref'],
          task: typeof b['task'] === 'string' ? b['task'] : 'deploy',
          environment: typeof b['environment'] === 'string' ? b['environment'] : 'production',
          description: typeof b['description'] === 'string' ? b['description'] : '',
          payload: b['payload'] ?? {},
          auto_merge: b['auto_merge'],
          required_contexts: b['required_contexts'],
          transient_environment: b['transient_environment'],
          created_at: now(),
          statuses: [],
        };
        deployments.push(d);
        return send(201, present(d));
      }
      if (method === 'GET') {
        const env = url.searchParams.get('environment');
        const list = deployments.filter((d) => d.repository === repository && (env === null || d.environment === env)).reverse();
        return send(200, list.slice(0, Number(url.searchParams.get('per_page') ?? 30)).map(present));
      }
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/deployments\/(\d+)\/statuses$/.exec(url.pathname))) {
      const d = deployments.find((x) => x.repository === m?.[1] && x.id === Number(m?.[2]));
      if (!d) return send(404, { message: 'Not Found' });
      if (method === 'POST') {
        const state = b['state'];
        if (typeof state !== 'string' || !STATES.has(state))
          return send(422, { message: 'Validation Failed', errors: [{ resource: 'DeploymentStatus', field: 'state', code: 'invalid' }] });
        for (const key of ['log_url', 'environment_url'] as const) {
          if (b[key] !== undefined && !/^https?:\/\//.test(String(b[key])))
            return send(422, { message: 'Validation Failed', errors: [{ resource: 'DeploymentStatus', field: key, code: 'invalid' }] });
        }
        const s: FakeStatus = { id: ++nextId, state, description: typeof b['description'] === 'string' ? b['description'] : '', created_at: now() };
        if (typeof b['log_url'] === 'string') s.log_url = b['log_url'];
        if (typeof b['environment_url'] === 'string') s.environment_url = b['environment_url'];
        d.statuses.push(s);
        return send(201, s);
      }
      if (method === 'GET') return send(200, [...d.statuses].reverse().slice(0, Number(url.searchParams.get('per_page') ?? 30)));
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const repository = m[1] as string;
      const issue = Number(m[2]);
      if (method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const list = comments.filter((c) => c.repository === repository && c.issue === issue);
        return send(200, list.slice((page - 1) * perPage, page * perPage));
      }
      if (method === 'POST') {
        if (typeof b['body'] !== 'string' || b['body'] === '')
          return send(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', field: 'body', code: 'missing_field' }] });
        const id = ++nextId;
        const c: FakeComment = {
          id,
          repository,
          issue,
          body: b['body'],
          html_url: `https://github.example/${repository}/pull/${issue}#issuecomment-${id}`,
          user: account,
          edits: 0,
        };
        comments.push(c);
        return send(201, c);
      }
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)) && method === 'PATCH') {
      const c = comments.find((x) => x.repository === m?.[1] && x.id === Number(m?.[2]));
      if (!c) return send(404, { message: 'Not Found' });
      if (typeof b['body'] !== 'string') return send(422, { message: 'Validation Failed' });
      c.body = b['body'];
      c.edits++;
      return send(200, c);
    }
    send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake-github: ${err instanceof Error ? err.message : String(err)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    deployments,
    comments,
    script(method, path, ...responses) {
      scripts.push({ method, path, responses });
    },
    stateOf(id) {
      return deployments.find((d) => d.id === id)?.statuses.at(-1)?.state;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function present(d: FakeDeployment): Record<string, unknown> {
  const { statuses: _statuses, repository: _repository, ...rest } = d;
  return { ...rest, url: `/repos/${d.repository}/deployments/${d.id}` };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
