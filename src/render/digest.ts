import { parseImageRef, type ImageRef } from '../image/image-ref.js';

/**
 * The digest a registry gives repository:tag, read with the registry HTTP API (HEAD of the manifest), for
 * `command: render` run on its own, after a build step pushed the image. Anonymous access, or the
 * registry credentials of the run (basic, or exchanged for a bearer token as registries ask).
 */
export interface DigestLookup {
  repository: string;
  tag: string;
  auth?: { username: string; password: string };
  timeoutMs?: number;
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Resolves the digest, or throws an Error whose message says why it could not. */
export async function lookupDigest(lookup: DigestLookup): Promise<string> {
  const ref = parseImageRef(lookup.repository);
  if (!ref.registry) throw new Error(`${lookup.repository} names no registry host, so there is no registry to ask`);
  const url = `${baseUrl(ref)}/v2/${ref.path}/manifests/${encodeURIComponent(lookup.tag)}`;
  const timeoutMs = lookup.timeoutMs ?? 20_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const head = (headers: Record<string, string>): Promise<Response> =>
    fetch(url, { method: 'HEAD', headers: { Accept: ACCEPT, ...headers }, signal }).catch((err: unknown) => {
      throw new Error(
        signal.aborted ? `${baseUrl(ref)} did not answer within ${timeoutMs / 1000}s` : `could not reach ${baseUrl(ref)} (${describeCause(err)})`,
      );
    });
  let response = await head({});
  if (response.status === 401) {
    response = await head({ Authorization: await answerChallenge(response.headers.get('www-authenticate') ?? '', ref, lookup, signal) });
  }
  if (response.status === 404) throw new Error(`the registry has no ${lookup.repository}:${lookup.tag} (was it built and pushed?)`);
  if (!response.ok) throw new Error(`the registry answered ${response.status} ${response.statusText} for ${lookup.repository}:${lookup.tag}`);
  const digest = response.headers.get('docker-content-digest') ?? '';
  if (!DIGEST.test(digest)) throw new Error(`the registry gave no sha256 digest for ${lookup.repository}:${lookup.tag}`);
  return digest;
}

/** HTTPS, except for registries on the machine itself, which Docker also reaches over plain HTTP. */
export function baseUrl(ref: ImageRef): string {
  const host = (ref.registry ?? '').replace(/:\d+$/, '');
  const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${ref.registry}`;
}

async function answerChallenge(challenge: string, ref: ImageRef, lookup: DigestLookup, signal: AbortSignal): Promise<string> {
  const basic = lookup.auth ? `Basic ${Buffer.from(`${lookup.auth.username}:${lookup.auth.password}`).toString('base64')}` : undefined;
  const scheme = challenge.split(' ', 1)[0]?.toLowerCase();
  if (scheme === 'basic') {
    if (!basic) throw new Error('the registry wants a login; set MODEL_CANARY_REGISTRY_USERNAME and MODEL_CANARY_REGISTRY_PASSWORD');
    return basic;
  }
  if (scheme !== 'bearer') throw new Error(`the registry asked for an authentication it did not name (${challenge || 'no WWW-Authenticate'})`);
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const realm = params['realm'];
  if (!realm) throw new Error('the registry asked for a bearer token but named no realm');
  const tokenUrl = new URL(realm);
  if (params['service']) tokenUrl.searchParams.set('service', params['service']);
  tokenUrl.searchParams.set('scope', params['scope'] ?? `repository:${ref.path}:pull`);
  // Credentials go only to a token service reached over HTTPS (or on this machine).
  const safe = tokenUrl.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(tokenUrl.hostname);
  const headers: Record<string, string> = basic && safe ? { Authorization: basic } : {};
  const response = await fetch(tokenUrl, { headers, signal });
  if (!response.ok)
    throw new Error(
      `the registry's token service answered ${response.status}${basic ? '' : '; a private image needs MODEL_CANARY_REGISTRY_USERNAME and _PASSWORD'}`,
    );
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error("the registry's token service returned no token");
  return `Bearer ${token}`;
}

function describeCause(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
