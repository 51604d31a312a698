import { afterAll, describe, expect, it } from 'vitest';
import { imageLabels, imageTags } from '../../src/image/labels.js';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { BASE_CONFIG, fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

const SHA = '0123456789abcdef0123456789abcdef01234567';
const CREATED = new Date('2026-11-25T17:30:05.123Z');

/** The run facts GitHub gives; a key set to undefined is left out (as when the variable is unset). */
type RunFacts = Pick<RunEnvironment, 'commitSha' | 'repository' | 'serverUrl'>;
const GITHUB: RunFacts = { commitSha: SHA, repository: 'acme/models', serverUrl: 'https://github.com' };

/** Loads the fixture model file, with `image:` lines appended and the model section edited, through the real loader. */
function load(
  options: { image?: string; model?: string; run?: Partial<Record<keyof RunFacts, string | undefined>>; inputs?: Partial<RawInputs> } = {},
): Config {
  const replace = (text: string, from: string, to: string): string => {
    if (!text.includes(from)) throw new Error(`fixture model file has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
  let text = BASE_CONFIG;
  if (options.model !== undefined) text = replace(text, 'model:\n  name: iris\n  version: "1.0"\n', options.model);
  if (options.image !== undefined) text = replace(text, '  dockerfile: Dockerfile\n', `  dockerfile: Dockerfile\n${options.image}`);
  const ws = fixtureWorkspace({ 'model-canary.yaml': text });
  const env: RunEnvironment = { workspace: ws, tempDir: '/tmp/model-canary-run', searchPath: '', runId: '7' };
  for (const [key, value] of Object.entries({ ...GITHUB, ...options.run })) {
    if (value !== undefined) env[key as keyof RunFacts] = value;
  }
  return loadConfig({ ...DEFAULT_INPUTS, command: 'build', ...options.inputs }, env);
}

describe('the loader helper', () => {
  it('applies the edits it is given (so the cases below test what they say)', () => {
    const config = load({ image: '  tag: v2\n  extraTags: [stable]\n', model: 'model:\n  name: wine\n  version: "2.1"\n  framework: onnx\n' });
    expect(config.image.tag).toBe('v2');
    expect(config.image.extraTags).toEqual(['stable']);
    expect(config.model).toEqual({ name: 'wine', version: '2.1', framework: 'onnx' });
    expect(config.run.commitSha).toBe(SHA);
  });
});

interface TagCase {
  name: string;
  image?: string;
  run?: Partial<Record<keyof RunFacts, string | undefined>>;
  inputs?: Partial<RawInputs>;
  tags: string[];
}

const TAG_CASES: TagCase[] = [
  { name: 'no tag: the commit SHA is the tag, once', tags: [SHA] },
  { name: 'a tag and the commit SHA', image: '  tag: v1\n', tags: ['v1', SHA] },
  {
    name: 'tag, SHA, then the extra tags in order',
    image: '  tag: v1\n  extraTags: [stable, "2026-11", latest]\n',
    tags: ['v1', SHA, 'stable', '2026-11', 'latest'],
  },
  { name: 'an extra tag equal to the tag is pushed once', image: '  tag: v1\n  extraTags: [stable, v1]\n', tags: ['v1', SHA, 'stable'] },
  { name: 'an extra tag equal to the SHA is pushed once', image: `  tag: v1\n  extraTags: ["${SHA}", stable]\n`, tags: ['v1', SHA, 'stable'] },
  { name: 'a tag equal to the SHA is pushed once', image: `  tag: "${SHA}"\n`, tags: [SHA] },
  { name: 'the image-tag input wins over image.tag', image: '  tag: v1\n', inputs: { imageTag: 'pr-42' }, tags: ['pr-42', SHA] },
  { name: 'no commit SHA: the tag only', image: '  tag: v1\n', run: { commitSha: undefined }, tags: ['v1'] },
  { name: 'no commit SHA and extra tags', image: '  tag: v1\n  extraTags: [stable]\n', run: { commitSha: undefined }, tags: ['v1', 'stable'] },
  { name: 'no tag and no commit SHA: the empty tag is dropped', run: { commitSha: undefined }, tags: [] },
  { name: 'no tag and no commit SHA, extra tags only', image: '  extraTags: [stable]\n', run: { commitSha: undefined }, tags: ['stable'] },
];

describe('imageTags from loaded configs', () => {
  it.each(TAG_CASES)('$name', ({ image, run, inputs, tags }) => {
    const options: Parameters<typeof load>[0] = {};
    if (image !== undefined) options.image = image;
    if (run !== undefined) options.run = run;
    if (inputs !== undefined) options.inputs = inputs;
    expect(imageTags(load(options))).toEqual(tags);
  });
});

/** A loaded config with image and run fields replaced, for values the loader itself would refuse. */
function withImage(image: Partial<Config['image']>, run: Partial<Config['run']> = {}): Config {
  const base = load();
  return { ...base, image: { ...base.image, ...image }, run: { ...base.run, ...run } };
}

describe('imageTags on values the loader would not produce', () => {
  it.each<[string, Partial<Config['image']>, string[]]>([
    ['empty extra tags are dropped', { tag: 'v1', extraTags: ['', 'stable', ''] }, ['v1', SHA, 'stable']],
    ['repeated extra tags are pushed once', { tag: 'v1', extraTags: ['stable', 'stable', 'v1', SHA] }, ['v1', SHA, 'stable']],
    ['an empty tag with extra tags', { tag: '', extraTags: ['stable'] }, [SHA, 'stable']],
  ])('%s', (_name, image, tags) => {
    expect(imageTags(withImage(image))).toEqual(tags);
  });

  it('an empty commit SHA is not a tag', () => {
    expect(imageTags(withImage({ tag: 'v1', extraTags: [] }, { commitSha: '' }))).toEqual(['v1']);
  });

  it('does not change the config', () => {
    const config = withImage({ tag: 'v1', extraTags: ['stable', 'v1'] });
    imageTags(config);
    expect(config.image.extraTags).toEqual(['stable', 'v1']);
  });
});

interface LabelCase {
  name: string;
  model?: string;
  run?: Partial<Record<keyof RunFacts, string | undefined>>;
  labels: Record<string, string>;
}

const IRIS = {
  'org.opencontainers.image.created': '2026-11-25T17:30:05.123Z',
  'org.opencontainers.image.title': 'iris',
  'org.opencontainers.image.version': '1.0',
  'dev.model-canary.model.name': 'iris',
  'dev.model-canary.model.version': '1.0',
  'dev.model-canary.model.framework': 'custom',
};

const LABEL_CASES: LabelCase[] = [
  {
    name: 'everything known: revision and source too',
    labels: { ...IRIS, 'org.opencontainers.image.revision': SHA, 'org.opencontainers.image.source': 'https://github.com/acme/models' },
  },
  {
    name: 'the model section gives title, version and the model labels',
    model: 'model:\n  name: wine-quality\n  version: 2026.11.25-rc1\n  framework: xgboost\n',
    labels: {
      'org.opencontainers.image.created': '2026-11-25T17:30:05.123Z',
      'org.opencontainers.image.title': 'wine-quality',
      'org.opencontainers.image.version': '2026.11.25-rc1',
      'dev.model-canary.model.name': 'wine-quality',
      'dev.model-canary.model.version': '2026.11.25-rc1',
      'dev.model-canary.model.framework': 'xgboost',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/models',
    },
  },
  {
    name: 'GitHub Enterprise Server: the source is on that server',
    run: { serverUrl: 'https://github.example.com' },
    labels: { ...IRIS, 'org.opencontainers.image.revision': SHA, 'org.opencontainers.image.source': 'https://github.example.com/acme/models' },
  },
  {
    name: 'no commit SHA: no revision',
    run: { commitSha: undefined },
    labels: { ...IRIS, 'org.opencontainers.image.source': 'https://github.com/acme/models' },
  },
  {
    name: 'no repository: no source',
    run: { repository: undefined },
    labels: { ...IRIS, 'org.opencontainers.image.revision': SHA },
  },
  {
    name: 'no server URL: no source',
    run: { serverUrl: undefined },
    labels: { ...IRIS, 'org.opencontainers.image.revision': SHA },
  },
  {
    name: 'a local run with nothing known: the model labels only',
    run: { commitSha: undefined, repository: undefined, serverUrl: undefined },
    labels: IRIS,
  },
];

describe('imageLabels from loaded configs', () => {
  it.each(LABEL_CASES)('$name', ({ model, run, labels }) => {
    const options: Parameters<typeof load>[0] = {};
    if (model !== undefined) options.model = model;
    if (run !== undefined) options.run = run;
    expect(imageLabels(load(options), CREATED)).toStrictEqual(labels);
  });

  it('created is the given time in UTC ISO 8601, whatever offset it was written with', () => {
    const labels = imageLabels(load(), new Date('2026-11-25T19:30:05+02:00'));
    expect(labels['org.opencontainers.image.created']).toBe('2026-11-25T17:30:05.000Z');
  });

  it('every value is a string (docker takes key=value text)', () => {
    for (const value of Object.values(imageLabels(load(), CREATED))) expect(typeof value).toBe('string');
  });

  it('empty run facts count as unknown', () => {
    const config = withImage({}, { commitSha: '', repository: '', serverUrl: '' });
    expect(imageLabels(config, CREATED)).toStrictEqual(IRIS);
  });
});
