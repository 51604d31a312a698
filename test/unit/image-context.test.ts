import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareBuildContext } from '../../src/image/context.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { makeWorkspace, removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const TEMPLATES = path.resolve(import.meta.dirname, '..', '..', 'templates', 'docker');

/** A workspace with only a model and a short model file, loaded through the real loader. */
function load(files: Record<string, string>, image: string[]): Config {
  const yaml = [
    'apiVersion: model-canary/v1',
    'model: { name: tiny, version: "1.2.0", artifact: model.onnx }',
    'image:',
    '  repository: registry.example/team/tiny',
    ...image,
    'smoke: { enabled: false }',
    '',
  ];
  const ws = makeWorkspace({ 'model.onnx': 'onnx bytes', ...files, 'model-canary.yaml': yaml.join('\n') });
  return loadConfig(
    { ...DEFAULT_INPUTS, command: 'build' },
    { workspace: ws, tempDir: tempDir('model-canary-run-'), searchPath: '', commitSha: 'a'.repeat(40) },
  );
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('the template build context', () => {
  it('holds the template, its tools, the one server, the model, the card and the wheelhouse: nothing else', async () => {
    const config = load({ 'card.json': '{"class_names": ["a", "b"]}', 'wh/onnxruntime-1.0-cp311-none-any.whl': 'w', 'wh/notes.txt': 'x' }, [
      '  template: onnx',
      '  wheelhouse: wh',
      '  buildArgs: { BASE_IMAGE: "base:1" }',
    ]);
    config.model.card = path.join(config.run.workspace, 'card.json');
    const ctx = await prepareBuildContext(config);
    expect(ctx.dockerfile).toBe(path.join(ctx.context, 'Dockerfile'));
    expect(listing(ctx.context)).toEqual([
      'Dockerfile',
      'model/model-card.json',
      'model/model.onnx',
      'requirements.txt',
      // The server's package, every module and nothing else (no tests, no bytecode).
      ...readdirSync(path.join(TEMPLATES, 'server', 'model_server'))
        .filter((f) => f.endsWith('.py'))
        .sort()
        .map((f) => `server/model_server/${f}`),
      'server/serve.py',
      'tools/install-deps.sh',
      'tools/slim.sh',
      'wheels/onnxruntime-1.0-cp311-none-any.whl',
    ]);
    expect(readFileSync(path.join(ctx.context, 'server', 'serve.py'), 'utf8')).toBe(readFileSync(path.join(TEMPLATES, 'server', 'serve.py'), 'utf8'));
    expect(readFileSync(ctx.dockerfile, 'utf8')).toBe(readFileSync(path.join(TEMPLATES, 'Dockerfile'), 'utf8'));
    expect(readFileSync(path.join(ctx.context, 'requirements.txt'), 'utf8')).toBe(readFileSync(path.join(TEMPLATES, 'onnx', 'requirements.txt'), 'utf8'));
    expect(ctx.buildArgs).toEqual({ MODEL_TEMPLATE: 'onnx', MODEL_FILE: 'model.onnx', MODEL_NAME: 'tiny', MODEL_VERSION: '1.2.0' });
  });

  it('has an empty wheels/ without a wheelhouse, so the Dockerfile can always copy it', async () => {
    const config = load({}, ['  template: sklearn', '  buildArgs: { BASE_IMAGE: "base:1" }']);
    const ctx = await prepareBuildContext(config);
    expect(readdirSync(path.join(ctx.context, 'wheels'))).toEqual([]);
    expect(readFileSync(path.join(ctx.context, 'requirements.txt'), 'utf8')).toContain('sklearn scikit-learn');
    expect(ctx.buildArgs['MODEL_TEMPLATE']).toBe('sklearn');
  });

  it('asks for BASE_IMAGE, naming what the image needs', async () => {
    const config = load({}, ['  template: onnx']);
    await expect(prepareBuildContext(config)).rejects.toThrow(/onnx template needs a base image: image.buildArgs has no BASE_IMAGE/);
  });

  it('leaves a Dockerfile of your own as it is', async () => {
    const config = load({ Dockerfile: 'FROM scratch\n' }, ['  dockerfile: Dockerfile']);
    expect(await prepareBuildContext(config)).toEqual({
      dockerfile: path.join(config.run.workspace, 'Dockerfile'),
      context: config.run.workspace,
      buildArgs: {},
    });
  });

  it('checks image.wheelhouse: a folder inside the workspace, for templates only', () => {
    const problems = (image: string[]): string => {
      try {
        load({ Dockerfile: 'FROM scratch\n', 'wh/a.whl': 'w' }, image);
        return '';
      } catch (err) {
        if (err instanceof Error) return err.message;
        throw err;
      }
    };
    expect(problems(['  template: onnx', '  wheelhouse: missing'])).toMatch(/image\.wheelhouse/);
    expect(problems(['  dockerfile: Dockerfile', '  wheelhouse: wh'])).toMatch(/image\.wheelhouse: is only used with image\.template/);
    expect(problems(['  template: onnx', '  wheelhouse: wh'])).toBe('');
  });
});
