import type { ImageGuards, Level } from '../config/types.js';

/** What the guards read from a built image: its config, its layers and its files. */
export interface ImageFacts {
  /** The image config's User ('' when unset, which means root). */
  user: string;
  sizeBytes: number;
  layers: { createdBy: string; sizeBytes: number }[];
  files: { path: string; sizeBytes: number; type: 'file' | 'dir' | 'link' }[];
}

export type GuardName = 'size' | 'rootUser' | 'notebooks' | 'datasets' | 'git' | 'trainingScripts' | 'pycache' | 'secretFiles';

export interface GuardFinding {
  guard: GuardName;
  level: Exclude<Level, 'off'>;
  message: string;
}

const MiB = 1024 * 1024;
/** Where the OS and its packages live: their own caches and certificates are not the model's content. */
const SYSTEM_PREFIXES = ['/usr/', '/lib/', '/lib64/', '/bin/', '/sbin/', '/etc/', '/var/lib/', '/var/cache/', '/var/log/', '/proc/', '/sys/', '/dev/'];
/** Except this one: the app folder of Docker's own Python and Node examples (WORKDIR /usr/src/app). */
const APP_UNDER_SYSTEM = '/usr/src/';
/** Installed Python packages wherever they are (a virtualenv in /opt/venv or /app/.venv): pip's vendored cacert.pem and their caches are not the model's content either. */
const INSTALLED_PACKAGES = /\/(site|dist)-packages\//;
const DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.feather', '.arrow', '.jsonl', '.npy', '.npz', '.xlsx', '.avro', '.orc'];
const TRAINING_SCRIPT = /(^|\/)(train|training|fit|finetune|fine_tune)[\w-]*\.(py|ipynb|sh|r)$/i;
const SECRET_FILE =
  /(^|\/)(\.env(\.[\w-]+)?|id_rsa|id_ecdsa|id_ed25519|[\w.-]+\.pem|[\w.-]+\.key|[\w.-]+\.p12|[\w.-]+\.pfx|\.netrc|\.pypirc|credentials\.json|\.npmrc)$/i;

function isSystemPath(p: string): boolean {
  return INSTALLED_PACKAGES.test(p) || (!p.startsWith(APP_UNDER_SYSTEM) && SYSTEM_PREFIXES.some((prefix) => p.startsWith(prefix)));
}

/** Files the OS or pip installed: what the secret-files guard leaves alone (it does look in /etc, /root and /var). */
function isInstalledPath(p: string): boolean {
  return INSTALLED_PACKAGES.test(p) || (p.startsWith('/usr/') && !p.startsWith(APP_UNDER_SYSTEM));
}

function mb(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

function list(paths: string[], max = 5): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** Applies each guard its level says to run; returns the findings, errors and warnings alike. */
export function evaluateGuards(facts: ImageFacts, guards: ImageGuards): GuardFinding[] {
  const findings: GuardFinding[] = [];
  const add = (guard: GuardName, level: Level, message: string): void => {
    if (level !== 'off') findings.push({ guard, level, message });
  };
  const appFiles = facts.files.filter((f) => !isSystemPath(f.path));

  if (facts.sizeBytes > guards.sizeBudgetMb * MiB) {
    const layers = [...facts.layers].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 3);
    const files = [...facts.files]
      .filter((f) => f.type === 'file')
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
      .slice(0, 5);
    add(
      'size',
      guards.size,
      `the image is ${mb(facts.sizeBytes)}, over the budget of ${guards.sizeBudgetMb} MiB. Biggest layers: ${layers
        .map(
          (l) =>
            `${mb(l.sizeBytes)} from ${l.createdBy.trim() === '' ? 'a layer with no recorded command' : `\`${l.createdBy.replace(/\s+/g, ' ').slice(0, 80)}\``}`,
        )
        .join(
          '; ',
        )}. Biggest files: ${files.map((f) => `${f.path} (${mb(f.sizeBytes)})`).join(', ')}. Use a multi-stage build that copies only what serves, or raise image.guards.sizeBudgetMb.`,
    );
  }
  const user = facts.user.trim();
  if (user === '' || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:')) {
    add(
      'rootUser',
      guards.rootUser,
      `the image runs as root (User is ${user === '' ? 'unset' : `"${user}"`}). Add a numeric non-root user to the Dockerfile, for example \`USER 10001\`.`,
    );
  }
  const notebooks = appFiles.filter((f) => f.type === 'file' && f.path.endsWith('.ipynb')).map((f) => f.path);
  if (notebooks.length > 0) {
    add('notebooks', guards.notebooks, `the image holds notebooks: ${list(notebooks)}. Add \`*.ipynb\` to .dockerignore.`);
  }
  const datasets = appFiles
    .filter((f) => f.type === 'file' && DATA_EXTENSIONS.some((ext) => f.path.toLowerCase().endsWith(ext)) && f.sizeBytes > guards.datasetMaxMb * MiB)
    .map((f) => `${f.path} (${mb(f.sizeBytes)})`);
  if (datasets.length > 0) {
    add(
      'datasets',
      guards.datasets,
      `the image holds datasets over ${guards.datasetMaxMb} MiB: ${list(datasets)}. Keep data out of the image: add the data folder or file to .dockerignore.`,
    );
  }
  const gitDirs = facts.files.filter((f) => /(^|\/)\.git(\/|$)/.test(f.path) && f.type === 'dir' && f.path.endsWith('.git')).map((f) => f.path);
  if (gitDirs.length > 0) {
    add('git', guards.git, `the image holds a git repository: ${list(gitDirs)}. Add \`.git\` to .dockerignore.`);
  }
  const training = appFiles.filter((f) => f.type === 'file' && TRAINING_SCRIPT.test(f.path)).map((f) => f.path);
  if (training.length > 0) {
    add(
      'trainingScripts',
      guards.trainingScripts,
      `the image holds training code: ${list(training)}. Train in a build stage or before the build, and COPY only the artifact and the server into the final stage.`,
    );
  }
  const pycache = appFiles.filter((f) => f.type === 'dir' && f.path.endsWith('/__pycache__')).map((f) => f.path);
  if (pycache.length > 0) {
    add(
      'pycache',
      guards.pycache,
      `the image holds Python caches: ${list(pycache)}. Add \`__pycache__\` to .dockerignore and set ENV PYTHONDONTWRITEBYTECODE=1.`,
    );
  }
  const secrets = facts.files
    .filter((f) => f.type === 'file' && SECRET_FILE.test(f.path) && !isInstalledPath(f.path) && !f.path.startsWith('/etc/ssl/certs/'))
    .map((f) => f.path);
  if (secrets.length > 0) {
    add(
      'secretFiles',
      guards.secretFiles,
      `the image holds key or env files: ${list(secrets)}. Remove them and add them to .dockerignore; pass secrets at run time (Kubernetes Secrets) instead.`,
    );
  }
  return findings;
}
