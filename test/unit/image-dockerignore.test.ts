import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerignoreFilter, ignored, parseDockerignore } from '../../src/image/dockerignore.js';
import { makeWorkspace, removeTempDirs } from '../helpers/temp.js';

// The part of .dockerignore the context check needs: which paths Docker leaves out of the build.

afterAll(removeTempDirs);

const out = (text: string, rel: string): boolean => ignored(parseDockerignore(text), rel);

describe('.dockerignore patterns', () => {
  it('match a path or any folder above it, from the context root', () => {
    expect(out('node_modules\n', 'node_modules')).toBe(true);
    expect(out('node_modules\n', 'node_modules/a/b.js')).toBe(true);
    expect(out('node_modules\n', 'app/node_modules')).toBe(false);
    expect(out('/build/\n', 'build/x')).toBe(true);
    expect(out('./.venv\n', '.venv/bin/python')).toBe(true);
  });

  it('read * and ? within one folder, ** across folders, and [classes]', () => {
    expect(out('*.md\n', 'README.md')).toBe(true);
    expect(out('*.md\n', 'docs/README.md')).toBe(false);
    expect(out('**/*.pyc\n', 'a/b/c.pyc')).toBe(true);
    expect(out('**/*.pyc\n', 'c.pyc')).toBe(true);
    expect(out('data/**\n', 'data/x/y.csv')).toBe(true);
    expect(out('file?.txt\n', 'file1.txt')).toBe(true);
    expect(out('file?.txt\n', 'file10.txt')).toBe(false);
    expect(out('v[0-9].bin\n', 'v7.bin')).toBe(true);
    expect(out('v[^0-9].bin\n', 'v7.bin')).toBe(false);
    expect(out('v[^0-9].bin\n', 'vx.bin')).toBe(true);
  });

  it('skip comments and blank lines; the last matching line wins, ! brings a path back', () => {
    const text = '# secrets\n\n*.env\n!public.env\n';
    expect(out(text, 'prod.env')).toBe(true);
    expect(out(text, 'public.env')).toBe(false);
    expect(out(text, '# secrets')).toBe(false);
    expect(out('!keep\n*\n', 'keep')).toBe(true);
  });
});

describe('dockerignoreFilter', () => {
  it("reads <Dockerfile>.dockerignore before the context's .dockerignore, and still looks into a folder a ! line may need", () => {
    const ws = makeWorkspace({ '.dockerignore': 'a\n', 'build/Dockerfile.dockerignore': 'b\n!b/keep\n' });
    const plain = dockerignoreFilter(ws, path.join(ws, 'Dockerfile'));
    expect([plain('a', true), plain('b', true)]).toEqual([true, false]);
    const own = dockerignoreFilter(ws, path.join(ws, 'build', 'Dockerfile'));
    expect([own('a', true), own('b', true), own('b/x', false), own('b/keep', false)]).toEqual([false, false, true, false]);
    expect(dockerignoreFilter(makeWorkspace({}), 'Dockerfile')('anything', false)).toBe(false);
  });
});
