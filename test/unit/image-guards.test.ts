import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateGuards, type GuardFinding, type GuardName, type ImageFacts } from '../../src/image/guards.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { ImageGuards, Level } from '../../src/config/types.js';
import { FIXTURES, fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

const MiB = 1024 * 1024;

// Facts recorded from real images with readImageFacts; see test/fixtures/build/README.md.
function recorded(name: string): ImageFacts {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'build', name), 'utf8')) as ImageFacts;
}
/** Non-root app on debian-python: passes every guard. */
const CLEAN = recorded('clean-app.json');
/** Root, notebooks, datasets, .git, training code, __pycache__ and key files in /app. */
const DIRTY = recorded('dirty-app.json');
/** CLEAN plus a virtualenv in /opt/venv (pip's vendored cacert.pem, __pycache__ in site-packages). */
const VENV = recorded('venv-app.json');
/** DIRTY's files under WORKDIR /usr/src/app (the layout of Docker's own Python examples), as User 10001. */
const USR_SRC = recorded('usr-src-app.json');

/** The guards' defaults, from the schema through the real loader (the fixture model file sets none). */
const DEFAULTS: ImageGuards = loadConfig(
  { ...DEFAULT_INPUTS, command: 'build' },
  { workspace: fixtureWorkspace(), tempDir: '/tmp/model-canary-run', searchPath: '' },
).image.guards;

const GUARDS: GuardName[] = ['size', 'rootUser', 'notebooks', 'datasets', 'git', 'trainingScripts', 'pycache', 'secretFiles'];
const LEVELS: Level[] = ['error', 'warn', 'off'];

function allAt(level: Level, overrides: Partial<ImageGuards> = {}): ImageGuards {
  const guards = { ...DEFAULTS };
  for (const g of GUARDS) guards[g] = level;
  return { ...guards, ...overrides };
}
const ALL_ERROR = allAt('error');

function withFiles(base: ImageFacts, files: ImageFacts['files'], overrides: Partial<ImageFacts> = {}): ImageFacts {
  return { ...base, files: [...base.files, ...files], ...overrides };
}
const file = (p: string, sizeBytes = 100): ImageFacts['files'][number] => ({ path: p, sizeBytes, type: 'file' });
const dir = (p: string): ImageFacts['files'][number] => ({ path: p, sizeBytes: 0, type: 'dir' });
const link = (p: string): ImageFacts['files'][number] => ({ path: p, sizeBytes: 0, type: 'link' });

const messagesOf = (findings: GuardFinding[], guard: GuardName): string[] => findings.filter((f) => f.guard === guard).map((f) => f.message);

const ROOT_FIX = 'Add a numeric non-root user to the Dockerfile, for example `USER 10001`.';

/** What the guards say about DIRTY, word for word. */
const DIRTY_MESSAGES: Record<Exclude<GuardName, 'size'>, string> = {
  rootUser: `the image runs as root (User is unset). ${ROOT_FIX}`,
  notebooks: 'the image holds notebooks: /app/notebooks/exploration.ipynb, /app/training.ipynb. Add `*.ipynb` to .dockerignore.',
  datasets:
    'the image holds datasets over 10 MiB: /app/data/features.parquet (12.0 MiB), /app/data/train.csv (30.0 MiB). Keep data out of the image: add the data folder or file to .dockerignore.',
  git: 'the image holds a git repository: /app/.git. Add `.git` to .dockerignore.',
  trainingScripts:
    'the image holds training code: /app/fit_model.py, /app/train.py, /app/training.ipynb. Train in a build stage or before the build, and COPY only the artifact and the server into the final stage.',
  pycache: 'the image holds Python caches: /app/__pycache__. Add `__pycache__` to .dockerignore and set ENV PYTHONDONTWRITEBYTECODE=1.',
  secretFiles:
    'the image holds key or env files: /app/.env, /app/keys/id_rsa, /app/keys/server.key. Remove them and add them to .dockerignore; pass secrets at run time (Kubernetes Secrets) instead.',
};

const DIRTY_SIZE_AT_150 =
  'the image is 159.1 MiB, over the budget of 150 MiB. Biggest layers: 111.1 MiB from a layer with no recorded command; ' +
  '45.0 MiB from `/bin/sh -c #(nop) COPY dir:b918742eca4d48efdebe5410d82abe1c227cad1c2cf535bec836d`; ' +
  '3.0 MiB from `/bin/sh -c python3 -m compileall -q /app && ln /app/model.joblib /app/model-late`. ' +
  'Biggest files: /app/data/train.csv (30.0 MiB), /app/data/features.parquet (12.0 MiB), /usr/bin/python3.11 (6.5 MiB), ' +
  '/usr/lib/x86_64-linux-gnu/libcrypto.so.3 (4.5 MiB), /usr/bin/perl (3.6 MiB). ' +
  'Use a multi-stage build that copies only what serves, or raise image.guards.sizeBudgetMb.';

describe('the recorded fixtures hold what the cases rely on', () => {
  const paths = (facts: ImageFacts, type: 'file' | 'dir' | 'link'): string[] => facts.files.filter((f) => f.type === type).map((f) => f.path);

  it('the defaults are the schema defaults', () => {
    expect(DEFAULTS).toEqual({
      sizeBudgetMb: 1024,
      size: 'error',
      rootUser: 'error',
      notebooks: 'error',
      datasets: 'error',
      datasetMaxMb: 10,
      git: 'error',
      trainingScripts: 'warn',
      pycache: 'warn',
      secretFiles: 'error',
    });
  });

  it('CLEAN has the system look-alikes the guards must ignore', () => {
    expect(CLEAN.user).toBe('10001');
    expect(paths(CLEAN, 'dir')).toEqual(expect.arrayContaining(['/usr/lib/python3/dist-packages/__pycache__', '/usr/lib/python3.11/__pycache__']));
    expect(paths(CLEAN, 'file')).toEqual(expect.arrayContaining(['/etc/ssl/certs/corp-root-ca.pem', '/app/labels.csv']));
  });

  it('DIRTY and USR_SRC hold the same app, VENV holds pip and its caches', () => {
    const app = (facts: ImageFacts, root: string): string[] => facts.files.filter((f) => f.path.startsWith(`${root}/`)).map((f) => f.path.slice(root.length));
    expect(app(USR_SRC, '/usr/src/app').filter((p) => p !== '/main.py' && p !== '/model-latest.joblib')).toEqual(
      app(DIRTY, '/app').filter((p) => p !== '/main.py' && p !== '/model-latest.joblib'),
    );
    expect(paths(VENV, 'file')).toContain('/opt/venv/lib/python3.11/site-packages/pip/_vendor/certifi/cacert.pem');
    expect(paths(VENV, 'dir').filter((p) => p.endsWith('/__pycache__') && p.includes('/site-packages/')).length).toBeGreaterThan(3);
  });
});

describe('evaluateGuards on recorded images', () => {
  it('a clean non-root app passes every guard, even with every guard at error', () => {
    expect(evaluateGuards(CLEAN, DEFAULTS)).toEqual([]);
    expect(evaluateGuards(CLEAN, ALL_ERROR)).toEqual([]);
  });

  it('the dirty app, at the defaults: every finding, in guard order, word for word', () => {
    expect(evaluateGuards(DIRTY, DEFAULTS)).toEqual([
      { guard: 'rootUser', level: 'error', message: DIRTY_MESSAGES.rootUser },
      { guard: 'notebooks', level: 'error', message: DIRTY_MESSAGES.notebooks },
      { guard: 'datasets', level: 'error', message: DIRTY_MESSAGES.datasets },
      { guard: 'git', level: 'error', message: DIRTY_MESSAGES.git },
      { guard: 'trainingScripts', level: 'warn', message: DIRTY_MESSAGES.trainingScripts },
      { guard: 'pycache', level: 'warn', message: DIRTY_MESSAGES.pycache },
      { guard: 'secretFiles', level: 'error', message: DIRTY_MESSAGES.secretFiles },
    ]);
  });

  it('a virtualenv is installed packages, not the model: pip, its certifi bundle and caches pass', () => {
    expect(evaluateGuards(VENV, ALL_ERROR)).toEqual([]);
  });

  it('an app under /usr/src/app is checked like one under /app', () => {
    const findings = evaluateGuards(USR_SRC, DEFAULTS);
    const expected = Object.entries(DIRTY_MESSAGES)
      .filter(([guard]) => guard !== 'rootUser')
      .map(([guard, message]) => ({ guard, level: DEFAULTS[guard as GuardName], message: message.replaceAll('/app/', '/usr/src/app/') }));
    expect(findings).toEqual(expected);
  });
});

describe('each guard at error, warn and off', () => {
  const cases = GUARDS.flatMap((guard) => LEVELS.map((level) => [guard, level] as const));
  it.each(cases)('%s at %s', (guard, level) => {
    const guards = { ...allAt('off', { sizeBudgetMb: 150 }), [guard]: level };
    const message = guard === 'size' ? DIRTY_SIZE_AT_150 : DIRTY_MESSAGES[guard];
    expect(evaluateGuards(DIRTY, guards)).toEqual(level === 'off' ? [] : [{ guard, level, message }]);
  });

  it('every guard off: nothing, whatever the image holds', () => {
    expect(evaluateGuards(DIRTY, allAt('off', { sizeBudgetMb: 1, datasetMaxMb: 0.001 }))).toEqual([]);
  });
});

describe('size', () => {
  it('a fat image over budget names its biggest layers and files, and what to do', () => {
    expect(messagesOf(evaluateGuards(DIRTY, { ...DEFAULTS, sizeBudgetMb: 150 }), 'size')).toEqual([DIRTY_SIZE_AT_150]);
  });

  it('the clean image over a 100 MiB budget', () => {
    expect(evaluateGuards(CLEAN, { ...DEFAULTS, sizeBudgetMb: 100 })).toEqual([
      {
        guard: 'size',
        level: 'error',
        message:
          'the image is 111.3 MiB, over the budget of 100 MiB. Biggest layers: 111.1 MiB from a layer with no recorded command; ' +
          '0.2 MiB from `/bin/sh -c #(nop) COPY --chown=10001:10001dir:4b47f655a08b6b1d4b97639616cebf4edc`; ' +
          '0.0 MiB from `/bin/sh -c #(nop) COPY dir:4edd207dfcf29094e3030987dc5fe9697138b15cada2434f20196`. ' +
          'Biggest files: /usr/bin/python3.11 (6.5 MiB), /usr/lib/x86_64-linux-gnu/libcrypto.so.3 (4.5 MiB), /usr/bin/perl (3.6 MiB), ' +
          '/usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3 (2.1 MiB), /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 (2.1 MiB). ' +
          'Use a multi-stage build that copies only what serves, or raise image.guards.sizeBudgetMb.',
      },
    ]);
  });

  it.each<[string, number, number, boolean]>([
    ['the dirty image at the default budget', DIRTY.sizeBytes, 1024, false],
    ['the dirty image well over', DIRTY.sizeBytes, 10, true],
    ['exactly at the budget', 150 * MiB, 150, false],
    ['one byte over the budget', 150 * MiB + 1, 150, true],
    ['a fractional budget', 150 * MiB, 149.5, true],
  ])('%s', (_name, sizeBytes, sizeBudgetMb, over) => {
    expect(messagesOf(evaluateGuards({ ...DIRTY, sizeBytes }, { ...DEFAULTS, sizeBudgetMb }), 'size')).toHaveLength(over ? 1 : 0);
  });

  it('lists at most three layers and five files, biggest first, and only regular files', () => {
    const facts: ImageFacts = {
      user: '10001',
      sizeBytes: 900 * MiB,
      layers: [1, 400, 0, 300, 199].map((n, i) => ({ createdBy: `RUN step ${i}\n  --with   spaces`, sizeBytes: n * MiB })),
      files: [link('/usr/lib/huge-link'), dir('/app/huge-dir'), ...[10, 70, 20, 60, 30, 50, 40].map((n) => file(`/app/f${n}.bin`, n * MiB))],
    };
    expect(messagesOf(evaluateGuards(facts, { ...DEFAULTS, sizeBudgetMb: 100 }), 'size')).toEqual([
      'the image is 900.0 MiB, over the budget of 100 MiB. Biggest layers: 400.0 MiB from `RUN step 1 --with spaces`; ' +
        '300.0 MiB from `RUN step 3 --with spaces`; 199.0 MiB from `RUN step 4 --with spaces`. ' +
        'Biggest files: /app/f70.bin (70.0 MiB), /app/f60.bin (60.0 MiB), /app/f50.bin (50.0 MiB), /app/f40.bin (40.0 MiB), /app/f30.bin (30.0 MiB). ' +
        'Use a multi-stage build that copies only what serves, or raise image.guards.sizeBudgetMb.',
    ]);
  });

  it('does not reorder the facts it was given', () => {
    const facts = structuredClone(DIRTY);
    evaluateGuards(facts, { ...DEFAULTS, sizeBudgetMb: 1 });
    expect(facts).toEqual(DIRTY);
  });
});

describe('rootUser', () => {
  it.each<[string, string]>([
    ['', 'unset'],
    ['root', '"root"'],
    ['0', '"0"'],
    ['0:0', '"0:0"'],
    ['root:root', '"root:root"'],
    ['0:10001', '"0:10001"'],
    ['root:10001', '"root:10001"'],
    ['  0  ', '"0"'],
    [' ', 'unset'],
  ])('User %j runs as root', (user, shown) => {
    expect(evaluateGuards({ ...CLEAN, user }, DEFAULTS)).toEqual([
      { guard: 'rootUser', level: 'error', message: `the image runs as root (User is ${shown}). ${ROOT_FIX}` },
    ]);
  });

  it.each(['10001', '10001:10001', '10001:0', '1000', '65534', 'nobody', 'model', 'model:root', 'rootless', '100'])('User %j does not', (user) => {
    expect(evaluateGuards({ ...CLEAN, user }, ALL_ERROR)).toEqual([]);
  });
});

interface PathCase {
  name: string;
  guard: GuardName;
  files: ImageFacts['files'];
  /** The paths the message names, in order; empty for no finding. */
  named: string[];
  guards?: Partial<ImageGuards>;
  /** Other guards these files rightly trip too. */
  alsoFires?: GuardName[];
}

const PATH_CASES: PathCase[] = [
  // notebooks
  { name: 'a notebook in /app', guard: 'notebooks', files: [file('/app/notebooks/eda.ipynb')], named: ['/app/notebooks/eda.ipynb'] },
  { name: 'a notebook in a home folder', guard: 'notebooks', files: [file('/home/model/analysis.ipynb')], named: ['/home/model/analysis.ipynb'] },
  { name: 'a notebook shipped in /usr/share/doc', guard: 'notebooks', files: [file('/usr/share/doc/python3-nbformat/examples/demo.ipynb')], named: [] },
  {
    name: 'a notebook inside an installed package',
    guard: 'notebooks',
    files: [file('/opt/venv/lib/python3.11/site-packages/nbformat/tests/test4.ipynb')],
    named: [],
  },
  { name: 'a folder named like a notebook', guard: 'notebooks', files: [dir('/app/old.ipynb')], named: [] },

  // datasets (default datasetMaxMb 10)
  { name: 'a 30 MiB csv', guard: 'datasets', files: [file('/app/data/train.csv', 30 * MiB)], named: ['/app/data/train.csv (30.0 MiB)'] },
  { name: 'an upper-case extension', guard: 'datasets', files: [file('/app/data/EXPORT.CSV', 11 * MiB)], named: ['/app/data/EXPORT.CSV (11.0 MiB)'] },
  {
    name: 'each data format over the limit',
    guard: 'datasets',
    files: ['tsv', 'parquet', 'feather', 'arrow', 'jsonl', 'npy', 'npz', 'xlsx', 'avro', 'orc'].map((ext) => file(`/data/set.${ext}`, 20 * MiB)),
    named: [
      '/data/set.tsv (20.0 MiB)',
      '/data/set.parquet (20.0 MiB)',
      '/data/set.feather (20.0 MiB)',
      '/data/set.arrow (20.0 MiB)',
      '/data/set.jsonl (20.0 MiB) and 5 more',
    ],
  },
  { name: 'a csv of exactly datasetMaxMb', guard: 'datasets', files: [file('/app/data/edge.csv', 10 * MiB)], named: [] },
  { name: 'a csv one byte over datasetMaxMb', guard: 'datasets', files: [file('/app/data/edge.csv', 10 * MiB + 1)], named: ['/app/data/edge.csv (10.0 MiB)'] },
  { name: 'a small csv is fine', guard: 'datasets', files: [file('/app/classes.csv', 2048)], named: [] },
  {
    name: 'a big model file is not a dataset',
    guard: 'datasets',
    files: [file('/app/model.onnx', 500 * MiB), file('/app/model.joblib', 200 * MiB)],
    named: [],
  },
  { name: 'a big csv under /usr/share', guard: 'datasets', files: [file('/usr/share/postgresql/data.csv', 50 * MiB)], named: [] },
  {
    name: 'a lower datasetMaxMb catches a 1 MiB csv but not the 33-byte one',
    guard: 'datasets',
    files: [file('/app/data/small.csv', MiB)],
    named: ['/app/data/small.csv (1.0 MiB)'],
    guards: { datasetMaxMb: 0.5 },
  },

  // git
  { name: 'a .git folder in /app', guard: 'git', files: [dir('/app/.git'), file('/app/.git/HEAD')], named: ['/app/.git'] },
  {
    name: 'a .git folder anywhere',
    guard: 'git',
    files: [dir('/srv/models/.git'), dir('/opt/src/lib/.git')],
    named: ['/srv/models/.git', '/opt/src/lib/.git'],
  },
  {
    name: '.gitignore, .github and .gitattributes are not a repository',
    guard: 'git',
    files: [file('/app/.gitignore'), dir('/app/.github'), file('/app/.gitattributes')],
    named: [],
  },
  { name: 'a .git file (a worktree pointer) holds no history', guard: 'git', files: [file('/app/.git', 30)], named: [] },

  // training scripts
  {
    name: 'training scripts by name',
    guard: 'trainingScripts',
    files: ['/app/train.py', '/app/fit_model.py', '/app/training.ipynb', '/app/scripts/finetune_bert.sh', '/app/fine_tune.py', '/app/train-v2.R'].map((p) =>
      file(p),
    ),
    named: ['/app/train.py', '/app/fit_model.py', '/app/training.ipynb', '/app/scripts/finetune_bert.sh', '/app/fine_tune.py and 1 more'],
    alsoFires: ['notebooks'],
  },
  {
    name: 'serving code and notes are not training code',
    guard: 'trainingScripts',
    files: ['/app/serve.py', '/app/model_fit_report.md', '/app/retrain_notes.txt', '/app/constraints.py'].map((p) => file(p)),
    named: [],
  },
  {
    name: 'training code inside an installed package',
    guard: 'trainingScripts',
    files: [file('/opt/venv/lib/python3.11/site-packages/xgboost/training.py'), file('/usr/lib/python3/dist-packages/sklearn/train.py')],
    named: [],
  },

  // __pycache__
  {
    name: '__pycache__ folders in the app',
    guard: 'pycache',
    files: [dir('/app/__pycache__'), dir('/app/pkg/sub/__pycache__')],
    named: ['/app/__pycache__', '/app/pkg/sub/__pycache__'],
  },
  {
    name: '__pycache__ of the system Python',
    guard: 'pycache',
    files: [dir('/usr/lib/python3/dist-packages/numpy/__pycache__'), dir('/usr/local/lib/python3.11/site-packages/__pycache__')],
    named: [],
  },
  { name: '__pycache__ of a virtualenv', guard: 'pycache', files: [dir('/app/.venv/lib/python3.12/site-packages/fastapi/__pycache__')], named: [] },

  // key and env files
  {
    name: 'env files and keys by name',
    guard: 'secretFiles',
    files: ['/app/.env', '/app/.env.production', '/app/keys/id_rsa', '/root/.ssh/id_ed25519', '/app/tls/server.key'].map((p) => file(p)),
    named: ['/app/.env', '/app/.env.production', '/app/keys/id_rsa', '/root/.ssh/id_ed25519', '/app/tls/server.key'],
  },
  {
    name: 'more credential files',
    guard: 'secretFiles',
    files: [
      '/root/.ssh/id_ecdsa',
      '/app/tls/server.pem',
      '/app/certs/client.p12',
      '/app/certs/client.pfx',
      '/root/.netrc',
      '/root/.pypirc',
      '/app/credentials.json',
      '/app/.npmrc',
    ].map((p) => file(p)),
    named: ['/root/.ssh/id_ecdsa', '/app/tls/server.pem', '/app/certs/client.p12', '/app/certs/client.pfx', '/root/.netrc and 3 more'],
  },
  {
    name: 'CA certificates in /etc/ssl/certs and /usr',
    guard: 'secretFiles',
    files: [
      file('/etc/ssl/certs/ca-certificates.crt'),
      link('/etc/ssl/certs/ISRG_Root_X1.pem'),
      file('/etc/ssl/certs/internal-ca.pem'),
      file('/usr/lib/ssl/cert.pem'),
      file('/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt'),
    ],
    named: [],
  },
  {
    name: "certifi's bundle in a virtualenv",
    guard: 'secretFiles',
    files: [file('/opt/venv/lib/python3.11/site-packages/certifi/cacert.pem', 290_000)],
    named: [],
  },
  { name: 'a folder named .env', guard: 'secretFiles', files: [dir('/app/.env')], named: [] },
];

describe('which paths each guard names', () => {
  it.each(PATH_CASES)('$guard: $name', ({ guard, files, named, guards, alsoFires = [] }) => {
    const findings = evaluateGuards(withFiles(CLEAN, files), { ...ALL_ERROR, ...guards });
    const messages = messagesOf(findings, guard);
    if (named.length === 0) {
      expect(messages).toEqual([]);
    } else {
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(`: ${named.join(', ')}. `);
    }
    // No other guard fires on these planted files (the clean image passes everything).
    expect(findings.filter((f) => f.guard !== guard).map((f) => f.guard)).toEqual(alsoFires);
  });
});

describe('messages say what to change', () => {
  it('lists five paths, then how many more', () => {
    const notebooks = Array.from({ length: 7 }, (_, i) => file(`/app/nb/${i}.ipynb`));
    expect(messagesOf(evaluateGuards(withFiles(CLEAN, notebooks), DEFAULTS), 'notebooks')).toEqual([
      'the image holds notebooks: /app/nb/0.ipynb, /app/nb/1.ipynb, /app/nb/2.ipynb, /app/nb/3.ipynb, /app/nb/4.ipynb and 2 more. Add `*.ipynb` to .dockerignore.',
    ]);
  });

  it.each<[GuardName, string]>([
    ['notebooks', 'Add `*.ipynb` to .dockerignore.'],
    ['datasets', 'add the data folder or file to .dockerignore.'],
    ['git', 'Add `.git` to .dockerignore.'],
    ['trainingScripts', 'COPY only the artifact and the server into the final stage.'],
    ['pycache', 'Add `__pycache__` to .dockerignore and set ENV PYTHONDONTWRITEBYTECODE=1.'],
    ['secretFiles', 'add them to .dockerignore; pass secrets at run time (Kubernetes Secrets) instead.'],
    ['rootUser', 'Add a numeric non-root user to the Dockerfile, for example `USER 10001`.'],
  ])('%s ends with the fix', (guard, fix) => {
    const [message] = messagesOf(evaluateGuards(DIRTY, ALL_ERROR), guard);
    expect(message?.endsWith(fix)).toBe(true);
  });
});
