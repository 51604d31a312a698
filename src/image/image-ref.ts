import { userError } from '../errors.js';

/** A parsed image reference: [registry/]path[:tag][@digest]. */
export interface ImageRef {
  /** Registry host with optional port, as written; undefined means the default registry. */
  registry?: string;
  /** Repository path below the registry, for example team/iris. */
  path: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses an image reference, or throws a user error saying what is wrong with it. */
export function parseImageRef(text: string): ImageRef {
  const problem = (why: string): Error =>
    userError(`"${text}" is not a valid image reference: ${why}.`, 'Write it as [registry[:port]/]path[:tag][@sha256:digest], in lowercase.');
  if (text.trim() === '') throw problem('it is empty');
  if (text !== text.trim() || /\s/.test(text)) throw problem('it contains whitespace');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw problem(`the digest "${digest}" is not algorithm:hex`);
    if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) {
      throw problem('a sha256 digest is 64 lowercase hex characters');
    }
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw problem(`the tag "${tag}" may hold only letters, digits, '_', '.' and '-' (at most 128)`);
  }
  if (rest === '') throw problem('the repository name is missing');

  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
      registry = first;
      rest = rest.slice(firstSlash + 1);
      checkRegistry(registry, problem);
    }
  }
  if (rest.length > 255) throw problem('the repository name is longer than 255 characters');
  for (const component of rest.split('/')) {
    if (component === '') throw problem('it has an empty path component (//)');
    if (/[A-Z]/.test(component)) throw problem(`"${component}" has uppercase letters; repository names are lowercase`);
    if (!PATH_COMPONENT.test(component)) {
      throw problem(`"${component}" may hold only lowercase letters, digits and single separators (. _ __ -)`);
    }
  }
  const ref: ImageRef = { path: rest };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

function checkRegistry(registry: string, problem: (why: string) => Error): void {
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    if (close < 0) throw problem(`the registry "${registry}" has an unclosed [`);
    host = registry.slice(0, close + 1);
    const after = registry.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw problem(`the registry "${registry}" is not host[:port]`);
      port = after.slice(1);
    }
  } else {
    const c = registry.indexOf(':');
    if (c >= 0) {
      host = registry.slice(0, c);
      port = registry.slice(c + 1);
    }
    if (!host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
      throw problem(`the registry host "${host}" is not a valid host name`);
    }
  }
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw problem(`the registry port "${port}" is not a number`);
}

/** The repository without tag or digest: [registry/]path. */
export function repositoryOf(ref: ImageRef): string {
  return ref.registry ? `${ref.registry}/${ref.path}` : ref.path;
}

export function formatImageRef(ref: ImageRef): string {
  let out = repositoryOf(ref);
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}

/** The reference later stages deploy: repository@digest, with no tag to drift. */
export function pinnedByDigest(ref: ImageRef, digest: string): string {
  return `${repositoryOf(ref)}@${digest}`;
}
