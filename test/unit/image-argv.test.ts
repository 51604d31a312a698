import { describe, expect, it } from 'vitest';
import { buildArgv, type BuildPlan } from '../../src/image/argv.js';

const REPO = 'registry.example:5000/team/iris';
const SHA = '0123456789abcdef0123456789abcdef01234567';

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    builder: 'buildx',
    dockerfile: '/work/ws/Dockerfile',
    context: '/work/ws',
    tags: [`${REPO}:v1`],
    labels: {},
    buildArgs: {},
    ...overrides,
  };
}

/** The flags buildx always gets: load into the engine, no provenance, inline layer cache. */
const BUILDX_TAIL = ['--load', '--provenance=false', '--cache-to', 'type=inline'];

interface Case {
  name: string;
  plan: BuildPlan;
  argv: string[];
}

const CASES: Case[] = [
  {
    name: 'legacy, one tag',
    plan: plan({ builder: 'legacy' }),
    argv: ['build', '--file', '/work/ws/Dockerfile', '--tag', `${REPO}:v1`, '/work/ws'],
  },
  {
    name: 'buildx, one tag',
    plan: plan(),
    argv: ['buildx', 'build', '--file', '/work/ws/Dockerfile', '--tag', `${REPO}:v1`, ...BUILDX_TAIL, '/work/ws'],
  },
  {
    name: 'buildx with cacheFrom imports the registry cache',
    plan: plan({ cacheFrom: `${REPO}:v1` }),
    argv: [
      'buildx',
      'build',
      '--file',
      '/work/ws/Dockerfile',
      '--tag',
      `${REPO}:v1`,
      ...BUILDX_TAIL,
      '--cache-from',
      `type=registry,ref=${REPO}:v1`,
      '/work/ws',
    ],
  },
  {
    name: 'legacy ignores cacheFrom (no registry cache import, no --load, no inline cache)',
    plan: plan({ builder: 'legacy', cacheFrom: `${REPO}:v1` }),
    argv: ['build', '--file', '/work/ws/Dockerfile', '--tag', `${REPO}:v1`, '/work/ws'],
  },
  {
    name: 'buildx with an empty cacheFrom adds no --cache-from',
    plan: plan({ cacheFrom: '' }),
    argv: ['buildx', 'build', '--file', '/work/ws/Dockerfile', '--tag', `${REPO}:v1`, ...BUILDX_TAIL, '/work/ws'],
  },
  {
    name: 'legacy, several tags, labels and build args, each its own flag, in order',
    plan: plan({
      builder: 'legacy',
      tags: [`${REPO}:v1`, `${REPO}:${SHA}`, `${REPO}:stable`],
      labels: { 'org.opencontainers.image.title': 'iris', 'dev.model-canary.model.version': '1.0' },
      buildArgs: { PYTHON_VERSION: '3.11', MODEL: 'model.joblib' },
    }),
    argv: [
      'build',
      '--file',
      '/work/ws/Dockerfile',
      '--tag',
      `${REPO}:v1`,
      '--tag',
      `${REPO}:${SHA}`,
      '--tag',
      `${REPO}:stable`,
      '--label',
      'org.opencontainers.image.title=iris',
      '--label',
      'dev.model-canary.model.version=1.0',
      '--build-arg',
      'PYTHON_VERSION=3.11',
      '--build-arg',
      'MODEL=model.joblib',
      '/work/ws',
    ],
  },
  {
    name: 'buildx, several tags, labels and build args, then the buildx flags, then the context',
    plan: plan({
      tags: [`${REPO}:v1`, `${REPO}:${SHA}`],
      labels: { 'org.opencontainers.image.revision': SHA },
      buildArgs: { BASE: 'python:3.12-slim' },
      cacheFrom: `${REPO}:v1`,
    }),
    argv: [
      'buildx',
      'build',
      '--file',
      '/work/ws/Dockerfile',
      '--tag',
      `${REPO}:v1`,
      '--tag',
      `${REPO}:${SHA}`,
      '--label',
      `org.opencontainers.image.revision=${SHA}`,
      '--build-arg',
      'BASE=python:3.12-slim',
      ...BUILDX_TAIL,
      '--cache-from',
      `type=registry,ref=${REPO}:v1`,
      '/work/ws',
    ],
  },
  {
    name: 'no tags, labels or build args',
    plan: plan({ builder: 'legacy', tags: [] }),
    argv: ['build', '--file', '/work/ws/Dockerfile', '/work/ws'],
  },
  {
    name: 'paths with spaces stay single elements',
    plan: plan({ builder: 'legacy', dockerfile: '/work/my models/iris/Dockerfile.serve', context: '/work/my models/iris' }),
    argv: ['build', '--file', '/work/my models/iris/Dockerfile.serve', '--tag', `${REPO}:v1`, '/work/my models/iris'],
  },
];

describe('buildArgv', () => {
  it.each(CASES)('$name', ({ plan: p, argv }) => {
    expect(buildArgv(p)).toEqual(argv);
  });

  it('does not change the plan it is given', () => {
    const p = plan({ tags: [`${REPO}:v1`], labels: { a: 'b' }, buildArgs: { C: 'd' }, cacheFrom: `${REPO}:v1` });
    const before = structuredClone(p);
    buildArgv(p);
    buildArgv(p);
    expect(p).toEqual(before);
  });

  it('returns a new array each call', () => {
    const p = plan();
    const first = buildArgv(p);
    first.push('--extra');
    expect(buildArgv(p)).not.toContain('--extra');
  });
});

/** Values a shell would split, expand or end; each must reach docker as exactly one argv element. */
const AWKWARD: [string, string][] = [
  ['spaces', 'Iris classifier trained on 150 flowers'],
  ['leading and trailing spaces', '  padded  '],
  ['double quotes', 'say "hello"'],
  ['single quotes', "it's a model"],
  ['an equals sign', 'a=b=c'],
  ['a newline', 'line one\nline two'],
  ['a carriage return and tab', 'a\r\n\tb'],
  ['shell metacharacters', '$(rm -rf /); `id` && echo $HOME | cat > /tmp/x *'],
  ['a backslash', 'C:\\models\\iris'],
  ['an empty value', ''],
  ['a value that looks like a flag', '--push'],
  ['unicode', 'modèle – 模型'],
];

describe('buildArgv keeps awkward values as single elements', () => {
  it.each(AWKWARD)('label value with %s', (_what, value) => {
    const argv = buildArgv(plan({ builder: 'legacy', labels: { 'org.opencontainers.image.description': value } }));
    expect(argv).toEqual([
      'build',
      '--file',
      '/work/ws/Dockerfile',
      '--tag',
      `${REPO}:v1`,
      '--label',
      `org.opencontainers.image.description=${value}`,
      '/work/ws',
    ]);
  });

  it.each(AWKWARD)('build-arg value with %s', (_what, value) => {
    const argv = buildArgv(plan({ buildArgs: { NOTE: value } }));
    expect(argv).toEqual([
      'buildx',
      'build',
      '--file',
      '/work/ws/Dockerfile',
      '--tag',
      `${REPO}:v1`,
      '--build-arg',
      `NOTE=${value}`,
      ...BUILDX_TAIL,
      '/work/ws',
    ]);
  });

  it('a build-arg value holding = and & is one KEY=value element (docker splits on the first =)', () => {
    const argv = buildArgv(plan({ builder: 'legacy', buildArgs: { PIP_INDEX: 'https://pypi.example/simple?a=1&b=2' } }));
    const i = argv.indexOf('--build-arg');
    expect(argv[i + 1]).toBe('PIP_INDEX=https://pypi.example/simple?a=1&b=2');
    expect(argv).toHaveLength(8);
  });

  it('many entries each become their own flag and value', () => {
    const labels = Object.fromEntries(AWKWARD.map(([what, value], i) => [`dev.test.l${i}`, `${what}: ${value}`]));
    const buildArgs = Object.fromEntries(AWKWARD.map(([, value], i) => [`ARG_${i}`, value]));
    const argv = buildArgv(plan({ builder: 'legacy', labels, buildArgs }));
    const pairs = (flag: string): string[] => argv.flatMap((a, i) => (a === flag ? [argv[i + 1] as string] : []));
    expect(pairs('--label')).toEqual(Object.entries(labels).map(([k, v]) => `${k}=${v}`));
    expect(pairs('--build-arg')).toEqual(Object.entries(buildArgs).map(([k, v]) => `${k}=${v}`));
    // build --file F --tag T, two elements per label and build arg, then the context.
    expect(argv).toHaveLength(5 + 2 * AWKWARD.length * 2 + 1);
    expect(argv.at(-1)).toBe('/work/ws');
  });
});
