import type { GitHubApi } from './api.js';

/*
 * Who the token is, so the action edits only comments it wrote itself. REST `GET /user` answers a
 * personal access token but refuses an installation token (the workflow's GITHUB_TOKEN, or a GitHub
 * App's) with 403 "Resource not accessible by integration"; GraphQL's `viewer` answers both, which is
 * how other commenting actions (marocchino/sticky-pull-request-comment among them) find themselves.
 *
 * Comments are matched on the numeric account id, not the login: a bot's login is not spelled alike in
 * every answer (GraphQL's authors drop the "[bot]" REST shows), and a login can be renamed and then
 * taken by someone else, an id cannot.
 */

export interface TokenIdentity {
  login: string;
  /** The account's database id: what REST gives as a comment's user.id. */
  id: number;
}

export async function tokenIdentity(api: GitHubApi): Promise<TokenIdentity> {
  const data = await api.graphql<{ viewer?: { login?: unknown; databaseId?: unknown } }>('query { viewer { login databaseId } }');
  const { login, databaseId } = data.viewer ?? {};
  if (typeof login !== 'string' || typeof databaseId !== 'number' || !Number.isInteger(databaseId)) {
    throw new Error('GitHub did not say which account the token belongs to (no viewer login and id in the answer)');
  }
  return { login, id: databaseId };
}

/** True when the comment (as REST lists it) was written by this identity. */
export function writtenBy(comment: { user?: { id?: unknown } | null }, identity: TokenIdentity): boolean {
  return comment.user?.id === identity.id;
}
