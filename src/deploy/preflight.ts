import { stringify } from 'yaml';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/resources.js';
import { requiredAccess, resourceLabel, type AccessNeed } from './required-access.js';

export interface AccessReview {
  need: AccessNeed;
  outcome: 'allowed' | 'denied' | 'unknown';
  /** The authorizer's reason, or why the review itself failed. */
  detail?: string;
}

interface SelfSubjectAccessReview extends KubeObject {
  spec: { resourceAttributes: { verb: string; group: string; resource: string; subresource?: string; namespace?: string } };
  status?: { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/**
 * The permission preflight of a release, before its lock is taken and anything applied: every verb the
 * release will use (requiredAccess) is asked of the API server as a SelfSubjectAccessReview, all at once.
 * A missing one refuses the release naming each, with the Role rules to add (judgeAccess says which are
 * only warnings). A review the API server will not answer is a warning too: the release goes on, as it did
 * before there was a preflight.
 */
export async function checkReleaseAccess(config: Config, objects: readonly KubeObject[], ctx: StageContext): Promise<void> {
  const { logger } = ctx.host;
  const client = await ctx.kube.client();
  const kinds = await resolveKinds(client, objects);
  const needs = requiredAccess(config, objects, (apiVersion, kind) => kinds.get(`${apiVersion}/${kind}`));
  const reviews = await reviewAccess(client, needs);
  const unknown = reviews.filter((r) => r.outcome === 'unknown');
  if (unknown.length > 0) {
    logger.warn(
      `Could not check ${unknown.length} of the ${reviews.length} permission(s) this release needs before applying (${unknown[0]?.detail ?? '?'}); going on, and a missing one fails where it is used. Every authenticated user may create SelfSubjectAccessReviews unless the cluster removed that from the ClusterRole system:basic-user.`,
    );
  }
  const judged = judgeAccess(reviews);
  for (const w of judged.warnings) logger.warn(w);
  if (judged.refused.length > 0) throw accessRefusal(judged.refused);
  const allowed = reviews.filter((r) => r.outcome === 'allowed').length;
  const missing = reviews.filter((r) => r.outcome === 'denied').length;
  const notes = [...(missing > 0 ? [`${missing} denied, each a warning above`] : []), ...(unknown.length > 0 ? [`${unknown.length} unknown`] : [])];
  logger.info(
    `Permissions checked before applying: ${allowed} of ${reviews.length} allowed by the API server${notes.length > 0 ? ` (${notes.join(', ')})` : ''}.`,
  );
}

/**
 * What the answers mean: a denied need refuses the release, unless it is optional (a warning) or on a route
 * of a purpose another route of which is fully allowed (a warning that names the way that is left). When
 * no route of a purpose is open, the first route's denied needs are refused, naming the other ways too.
 */
export function judgeAccess(reviews: readonly AccessReview[]): { refused: AccessNeed[]; warnings: string[] } {
  const denied = reviews.filter((r) => r.outcome === 'denied').map((r) => r.need);
  const refused = denied.filter((n) => !n.optional && !n.route);
  const warnings = denied
    .filter((n) => n.optional)
    .map((n) => `The kubeconfig may not ${describeNeed(n)}: ${n.optional ?? ''}. Add it as docs/rbac.yaml has it.`);
  const purposes = new Map<string, Map<string, AccessReview[]>>();
  for (const r of reviews) {
    if (!r.need.route) continue;
    const routes = purposes.get(r.need.route.purpose) ?? new Map<string, AccessReview[]>();
    routes.set(r.need.route.name, [...(routes.get(r.need.route.name) ?? []), r]);
    purposes.set(r.need.route.purpose, routes);
  }
  for (const [purpose, routes] of purposes) {
    const closed = [...routes.entries()].filter(([, rs]) => rs.some((r) => r.outcome === 'denied'));
    const open = [...routes.keys()].filter((name) => !closed.some(([c]) => c === name));
    const [first] = [...routes.keys()];
    if (open.length > 0) {
      for (const [name, rs] of closed) {
        const lacking = rs.filter((r) => r.outcome === 'denied').map((r) => describeNeed(r.need));
        warnings.push(
          `The kubeconfig may not ${lacking.join(', nor ')}: ${purpose} cannot go through ${name}, only through ${open.join(' or ')}. Add it as docs/rbac.yaml has it.`,
        );
      }
      continue;
    }
    const others = closed
      .filter(([name]) => name !== first)
      .map(([name, rs]) => `${name}: ${rs.map((r) => `${r.need.verb} ${resourceLabel(r.need)}`).join(', ')}`);
    for (const r of routes.get(first ?? '') ?? []) {
      if (r.outcome === 'denied') refused.push({ ...r.need, uses: [...r.need.uses, ...others.map((o) => `or instead ${o}`)] });
    }
  }
  return { refused, warnings };
}

/** One SelfSubjectAccessReview per need, sent together. */
export async function reviewAccess(client: KubeClient, needs: readonly AccessNeed[]): Promise<AccessReview[]> {
  return Promise.all(needs.map((need) => reviewOne(client, need)));
}

async function reviewOne(client: KubeClient, need: AccessNeed): Promise<AccessReview> {
  const review: SelfSubjectAccessReview = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { name: '' },
    spec: {
      resourceAttributes: {
        verb: need.verb,
        group: need.group,
        resource: need.resource,
        ...(need.subresource ? { subresource: need.subresource } : {}),
        ...(need.namespace !== undefined ? { namespace: need.namespace } : {}),
      },
    },
  };
  let answer: Awaited<ReturnType<KubeClient['create']>>;
  try {
    answer = await client.create(review);
  } catch (err) {
    return { need, outcome: 'unknown', detail: err instanceof Error ? err.message : String(err) };
  }
  if (!answer.created) {
    const message = (answer.body as { message?: string } | undefined)?.message;
    return { need, outcome: 'unknown', detail: `POST selfsubjectaccessreviews answered HTTP ${answer.status}${message ? `: ${message}` : ''}` };
  }
  const status = (answer.object as SelfSubjectAccessReview).status;
  if (!status) return { need, outcome: 'unknown', detail: 'the SelfSubjectAccessReview came back without a status' };
  if (status.allowed) return { need, outcome: 'allowed' };
  const detail = [status.reason, status.evaluationError].filter((s) => s !== undefined && s !== '').join('; ');
  return { need, outcome: 'denied', ...(detail ? { detail } : {}) };
}

/** The refusal: every missing permission with what uses it, and the Role rules that grant them, as YAML. */
export function accessRefusal(missing: readonly AccessNeed[]): ModelCanaryError {
  const lines = missing.map((n) => `  - ${describeNeed(n)} (${n.uses.join('; ')})`);
  const byScope = new Map<string, AccessNeed[]>();
  for (const n of missing) byScope.set(n.namespace ?? '', [...(byScope.get(n.namespace ?? '') ?? []), n]);
  const grants = [...byScope.entries()].map(([namespace, needs]) => {
    const where = namespace ? `the Role in namespace ${namespace}` : 'a ClusterRole';
    return `Add to the rules of ${where} bound to the kubeconfig's user:\n${stringify(roleRules(needs)).trimEnd()}`;
  });
  return new ModelCanaryError(
    'cluster',
    `The kubeconfig's user lacks ${missing.length} permission(s) this release needs, so nothing was applied (no lock taken, no object changed):\n${lines.join('\n')}`,
    `${grants.join('\n')}\ndocs/rbac.yaml has every rule model-canary uses (docs/rbac.md says why each is there); apply it, or add the rules above, and run again.`,
  );
}

/** Role rules granting the needs: one per group and resource, with its verbs. */
export function roleRules(needs: readonly AccessNeed[]): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const rules = new Map<string, { apiGroups: string[]; resources: string[]; verbs: string[] }>();
  for (const n of needs) {
    const resource = n.subresource ? `${n.resource}/${n.subresource}` : n.resource;
    const key = `${n.group} ${resource}`;
    const rule = rules.get(key) ?? { apiGroups: [n.group], resources: [resource], verbs: [] };
    if (!rule.verbs.includes(n.verb)) rule.verbs.push(n.verb);
    rules.set(key, rule);
  }
  return [...rules.values()];
}

const describeNeed = (n: AccessNeed): string => `${n.verb} ${resourceLabel(n)}${n.namespace ? ` in namespace ${n.namespace}` : ' (cluster-wide)'}`;

/** Plural and scope of every rendered kind: the known table, else API discovery (a kind the cluster does not serve fails here, before anything is applied). */
async function resolveKinds(client: KubeClient, objects: readonly KubeObject[]): Promise<Map<string, ResourceInfo>> {
  const kinds = new Map<string, ResourceInfo>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!kinds.has(key)) kinds.set(key, await client.resourceFor(o.apiVersion, o.kind));
  }
  return kinds;
}
