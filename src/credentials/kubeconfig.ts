import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/*
 * The kubeconfig input: content from a secret, never a path, never on a command line. The action masks it
 * and the credentials inside it, writes it to a 0600 file of its own under RUNNER_TEMP, and every command
 * it starts finds it through KUBECONFIG in its environment. The post step removes the file.
 */

/** Keys whose values are credentials: each is masked on its own as well as the whole content. */
const SECRET_KEYS = new Set(['token', 'client-key-data', 'password', 'id-token', 'refresh-token', 'client-secret', 'access-token']);
/** A flag name alone (`--region`, `-o`): an exec plugin's argument that is not worth masking. */
const FLAG_NAME = /^--?[A-Za-z][\w-]*$/;
/** The password of a URL with credentials in it (https://user:password@host). */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:([^/@\s]+)@/i;

export interface KubeconfigInput {
  /** The YAML text to write (decoded when the input was base64). */
  content: string;
  /** Values to mask: the input as given, the decoded content, and every credential inside. */
  secrets: string[];
}

/**
 * Reads the kubeconfig input: YAML, or the same YAML base64-encoded (as secrets often hold it). A problem
 * never quotes the content: it may be a credential.
 */
export function readKubeconfigInput(text: string): KubeconfigInput | { problem: string } {
  const trimmed = text.trim();
  const decoded = decodeBase64(trimmed);
  const content = decoded !== undefined && looksLikeKubeconfig(parseQuietly(decoded)) ? decoded.trim() : trimmed;
  const doc = parseQuietly(content);
  if (!looksLikeKubeconfig(doc)) {
    const oneLine = !/[\r\n]/.test(trimmed);
    return {
      problem:
        oneLine && !trimmed.includes(':')
          ? 'is not kubeconfig content; pass the file itself from a secret (for example ${{ secrets.KUBECONFIG }}), not its path: a path is used through the KUBECONFIG variable instead'
          : 'is not a kubeconfig (YAML, or base64 of it, with clusters, contexts and users); check the secret it comes from',
    };
  }
  const secrets = new Set<string>([trimmed, content]);
  collectSecrets(doc, secrets);
  return { content: content.endsWith('\n') ? content : `${content}\n`, secrets: [...secrets].filter((s) => s.length >= 4) };
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function parseQuietly(text: string): unknown {
  try {
    return parse(text, { prettyErrors: false });
  } catch {
    return undefined;
  }
}

function looksLikeKubeconfig(doc: unknown): doc is Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return Array.isArray(d['clusters']) || d['kind'] === 'Config';
}

/**
 * Every credential in the document: values of the secret keys, URL passwords, and in an exec plugin
 * (`user.exec`) each env value and each argument but flag names, since plugins take keys and tokens
 * that way (`--token=...`, `AWS_SECRET_ACCESS_KEY`).
 */
function collectSecrets(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSecrets(item, into);
    return;
  }
  if (typeof node === 'string') {
    const password = URL_PASSWORD.exec(node)?.[1];
    if (password) into.add(password);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (SECRET_KEYS.has(key) && typeof value === 'string' && value !== '') into.add(value);
    else if (key === 'exec' && typeof value === 'object' && value !== null) collectExecPlugin(value as Record<string, unknown>, into);
    else collectSecrets(value, into);
  }
}

function collectExecPlugin(exec: Record<string, unknown>, into: Set<string>): void {
  for (const entry of Array.isArray(exec['env']) ? exec['env'] : []) {
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof value === 'string' && value !== '') into.add(value);
  }
  for (const arg of Array.isArray(exec['args']) ? exec['args'] : []) {
    if (typeof arg !== 'string' || FLAG_NAME.test(arg)) continue;
    const eq = /^--?[A-Za-z][\w-]*=(.+)$/.exec(arg);
    into.add(eq?.[1] ?? arg);
  }
  collectSecrets(exec, into);
}

/**
 * Writes the kubeconfig to a new file of mode 0600 under dir, with a name no other run uses; refuses to
 * follow or overwrite anything already there.
 */
export function writeKubeconfig(content: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `model-canary-kubeconfig-${process.pid}-${randomBytes(8).toString('hex')}`);
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return file;
}

/** Removes the kubeconfig file; a file already gone is fine. Says which. */
export function removeKubeconfig(file: string): 'removed' | 'absent' {
  try {
    statSync(file);
  } catch {
    return 'absent';
  }
  rmSync(file, { force: true });
  return 'removed';
}

/**
 * Points KUBECONFIG at the file for this process, so every command it starts gets it through its
 * environment (the exec wrapper and background processes merge process.env). Returns the undo.
 */
export function useKubeconfig(file: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const before = env['KUBECONFIG'];
  env['KUBECONFIG'] = file;
  return () => {
    if (before === undefined) delete env['KUBECONFIG'];
    else env['KUBECONFIG'] = before;
  };
}
