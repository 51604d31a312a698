import type { Level } from '../config/types.js';

/*
 * Credentials in the image config: ENV, LABEL and the build history (which keeps every ARG value a RUN
 * saw, and every ENV even after a later ENV replaced it). Anyone who can pull the image reads them with
 * `docker inspect` and `docker history`, and Trivy's file scan never looks there.
 *
 * What counts:
 * - a value with a known credential shape (AWS key id, GitHub, GitLab, Slack, Hugging Face, npm, Google,
 *   Stripe, OpenAI/Anthropic keys, a PEM private key, a JSON Web Token, a URL with a password), anywhere;
 * - a name that says it holds a secret (a SECRET, PASSWORD, PASSPHRASE, TOKEN or CREDENTIALS word, or
 *   ending in _KEY, _AUTH, _PASS, _PWD) with a non-trivial value.
 * What does not, to keep base images quiet: names about public key material (GPG_KEY, PYTHON_GPG_KEY,
 * *_FINGERPRINT, *_PUBLIC_KEY), names that point at a credential rather than hold it (*_FILE, *_PATH,
 * *_URL, *_ID, *_NAME, ...), and trivial values (empty, shorter than 4, booleans, placeholders such as
 * changeme or <token>, a path, a $VAR reference). Words are split on _, ., - and camelCase, so
 * TOKENIZERS_PARALLELISM is not a TOKEN.
 *
 * A finding names the variable and where it is; it never carries the value.
 */

export interface ImageConfigFacts {
  /** Config.Env, NAME=value. */
  env: string[];
  labels: Record<string, string>;
  /** created_by of every history step, oldest first. */
  history: string[];
}

export interface ConfigGuardFinding {
  guard: 'configSecrets';
  level: Exclude<Level, 'off'>;
  message: string;
}

/** One credential found: where it is and why it looks like one. Never the value. */
export interface ConfigCredential {
  where: string;
  why: string;
}

const VALUE_SHAPES: readonly [string, RegExp][] = [
  ['an AWS access key id', /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}/],
  ['a GitHub token', /\bgithub_pat_[A-Za-z0-9_]{22,}/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
  ['a Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}/],
  ['a Hugging Face token', /\bhf_[A-Za-z0-9]{30,}/],
  ['an npm token', /\bnpm_[A-Za-z0-9]{36}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}/],
  ['a Stripe secret key', /\b[rs]k_live_[0-9A-Za-z]{16,}/],
  ['an OpenAI or Anthropic API key', /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/],
  ['a private key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  // user:password@ in a URL; a password that is a $VAR reference is left to the shell at run time.
  ['a URL with a password', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:(?!\$)[^\s@/'"]+@/i],
];

const SECRET_WORDS = new Set([
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASSPHRASE',
  'TOKEN',
  'TOKENS',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'APIKEY',
  'PRIVATEKEY',
]);
const SECRET_LAST_WORDS = new Set(['KEY', 'AUTH', 'PASS', 'PWD']);
const PUBLIC_WORDS = new Set(['GPG', 'PGP', 'GNUPG', 'FINGERPRINT', 'PUBLIC', 'PUB', 'PUBKEY', 'KEYRING', 'KEYSERVER', 'KEYID']);
const POINTER_LAST_WORDS = new Set([
  'FILE',
  'FILES',
  'PATH',
  'DIR',
  'URL',
  'URI',
  'HOST',
  'PORT',
  'ENDPOINT',
  'NAME',
  'ID',
  'IDS',
  'ENABLED',
  'DISABLED',
  'HEADER',
  'TYPE',
  'LENGTH',
  'TTL',
  'EXPIRY',
  'TIMEOUT',
  'REGION',
  'VERSION',
  'SHA',
  'SHA256',
  'SHA512',
  'HASH',
  'CHECKSUM',
  'MODE',
  'SIZE',
]);
const TRIVIAL_WORDS = /^(true|false|yes|no|on|off|none|null|nil|unset|changeme|change[-_]me|replace[-_]?me|placeholder|example|dummy|todo|redacted)$/i;

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

export function secretName(name: string): boolean {
  const w = words(name);
  const last = w.at(-1) ?? '';
  if (w.some((x) => PUBLIC_WORDS.has(x)) || POINTER_LAST_WORDS.has(last)) return false;
  // PWD alone is the shell's working directory.
  return w.some((x) => SECRET_WORDS.has(x)) || (w.length > 1 && SECRET_LAST_WORDS.has(last));
}

export function trivialValue(value: string): boolean {
  const v = value.trim();
  return (
    v.length < 4 ||
    TRIVIAL_WORDS.test(v) ||
    /^(.)\1*$/.test(v) ||
    /^\$\{?\w+\}?$/.test(v) ||
    /^(<.*>|\{\{.*\}\}|\[.*\])$/.test(v) ||
    /^(\/|\.\.?\/|~\/)/.test(v)
  );
}

/** What shape of credential the text holds, if any. */
export function credentialShape(text: string): string | undefined {
  return VALUE_SHAPES.find(([, re]) => re.test(text))?.[0];
}

function judge(name: string, value: string): string | undefined {
  const shape = credentialShape(value);
  if (shape) return `holds ${shape}`;
  return secretName(name) && !trivialValue(value) ? 'is named like a secret and has a value' : undefined;
}

/** `A=1 B="two"` (or the old `ENV NAME value` form) as name, value pairs. */
function pairs(text: string): [string, string][] {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length > 0 && !(tokens[0] as string).includes('=')) return [[tokens[0] as string, tokens.slice(1).join(' ')]];
  return tokens
    .filter((t) => t.includes('='))
    .map((t) => {
      const at = t.indexOf('=');
      return [t.slice(0, at), t.slice(at + 1).replace(/^(["'])(.*)\1$/, '$2')];
    });
}

/** A history step as its Dockerfile instruction: without the legacy builder's `/bin/sh -c #(nop)` and BuildKit's `# buildkit`. */
function instruction(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/\s*# buildkit$/, '')
    .trim();
}

/** Every credential in the image config, each once, in ENV, LABEL, then history order. */
export function findConfigCredentials(facts: ImageConfigFacts): ConfigCredential[] {
  const found: ConfigCredential[] = [];
  const flagged = new Set<string>();
  const add = (key: string, where: string, why: string | undefined): boolean => {
    if (why === undefined || flagged.has(key)) return false;
    flagged.add(key);
    found.push({ where, why });
    return true;
  };
  for (const entry of facts.env) {
    const at = entry.indexOf('=');
    const name = at < 0 ? entry : entry.slice(0, at);
    add(`ENV ${name}`, `ENV ${name}`, judge(name, at < 0 ? '' : entry.slice(at + 1)));
  }
  for (const [name, value] of Object.entries(facts.labels)) add(`LABEL ${name}`, `LABEL ${name}`, judge(name, value));

  facts.history.forEach((createdBy, i) => {
    const step = `build history step ${i + 1} of ${facts.history.length}`;
    let text = instruction(createdBy);
    const word = /^[A-Z]+(?=\s)/.exec(text)?.[0] ?? 'RUN';
    const kind = /^(ENV|LABEL|ARG)\s+/.exec(text)?.[1];
    if (kind) {
      // ENV and LABEL already reported from the config are not reported again from the step that set them.
      for (const [name, value] of pairs(text.slice(kind.length))) add(`${kind} ${name}`, `${kind} ${name} (${step})`, judge(name, value));
      return;
    }
    // A RUN records the build args it saw as `|N NAME=value ...` before its command.
    const args = /^(?:RUN\s+)?\|(\d+)\s+/.exec(text);
    if (args) {
      const tokens = text.slice(args[0].length).split(/\s+/);
      const n = Number(args[1]);
      for (const [name, value] of pairs(tokens.slice(0, n).join(' '))) add(`ARG ${name}`, `ARG ${name} (${step})`, judge(name, value));
      text = tokens.slice(n).join(' ');
    }
    const shape = credentialShape(text);
    if (shape) add(`step ${i}`, `a ${word} line (${step})`, `holds ${shape}`);
  });
  return found;
}

/** The guard's finding, at the given level; none when it is off or nothing is found. */
export function evaluateConfigGuard(facts: ImageConfigFacts, level: Level): ConfigGuardFinding[] {
  const found = level === 'off' ? [] : findConfigCredentials(facts);
  if (level === 'off' || found.length === 0) return [];
  return [
    {
      guard: 'configSecrets',
      level,
      message:
        `the image config carries ${found.length} credential(s) that anyone who can pull the image reads with docker inspect or docker history: ` +
        `${found.map((c) => `${c.where} ${c.why}`).join('; ')}. ` +
        'Remove them from the Dockerfile and the build args: give the server its credentials at run time from a Kubernetes Secret (env valueFrom.secretKeyRef), ' +
        'and the build what it needs with a build secret (`RUN --mount=type=secret,id=...`), which leaves nothing in the image. ' +
        'This guard follows image.guards.secretFiles.',
    },
  ];
}
