import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageFacts } from '../../src/image/guards.js';
import { parseTarListing, readImageFacts } from '../../src/image/inspect.js';
import type { Exec, ExecOptions, ExecResult } from '../../src/exec/exec.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

type Entry = ImageFacts['files'][number];
const file = (p: string, sizeBytes: number): Entry => ({ path: p, sizeBytes, type: 'file' });
const dir = (p: string): Entry => ({ path: p, sizeBytes: 0, type: 'dir' });
const link = (p: string): Entry => ({ path: p, sizeBytes: 0, type: 'link' });

// Lines as GNU tar 1.34 prints them for `tar --list --verbose --numeric-owner`: the first group from the
// `docker export` of test/fixtures/build's dirty image, the second from `tar -cf x.tar -C folder .` (which
// writes ./ prefixes), the rest variations GNU tar also prints.
const LINES: [string, string, Entry | null][] = [
  ['regular file', '-rw-r--r-- 0/0              44 2026-11-25 17:17 app/.env', file('/app/.env', 44)],
  ['executable file', '-rwxr-xr-x 0/0               0 2026-11-25 17:18 .dockerenv', file('/.dockerenv', 0)],
  ['big file', '-rw-r--r-- 0/0        31457280 2026-11-25 17:17 app/data/train.csv', file('/app/data/train.csv', 31457280)],
  ['directory (trailing slash)', 'drwxr-xr-x 0/0               0 2026-11-25 17:17 app/.git/', dir('/app/.git')],
  ['nested directory', 'drwxr-xr-x 0/0               0 2026-11-25 17:18 app/__pycache__/', dir('/app/__pycache__')],
  ['symlink, absolute target', 'lrwxrwxrwx 0/0               0 2026-11-25 17:18 app/main.py -> /app/serve.py', link('/app/main.py')],
  ['symlink, relative top-level', 'lrwxrwxrwx 0/0               0 2026-11-25 17:06 bin -> usr/bin', link('/bin')],
  ['symlink, relative ../ target', 'lrwxrwxrwx 0/0               0 2026-07-02 19:05 etc/os-release -> ../usr/lib/os-release', link('/etc/os-release')],
  ['hard link', 'hrw-r--r-- 0/0               0 2026-11-25 17:17 app/model.joblib link to app/model-latest.joblib', link('/app/model.joblib')],
  ['name with a space', '-rw-r--r-- 0/0              18 2026-11-25 17:18 app/model card.md', file('/app/model card.md', 18)],
  ['character device (not a file: skipped)', 'crw-rw-rw- 0/0             1,3 2026-11-25 17:06 dev/null', null],

  ['./ root entry', 'drwxr-xr-x 0/0               0 2026-11-25 17:18 ./', dir('/')],
  ['./ directory', 'drwxr-xr-x 0/0               0 2026-11-25 17:18 ./app/', dir('/app')],
  ['./ file', '-rw-r--r-- 0/0               4 2026-11-25 17:18 ./app/serve.py', file('/app/serve.py', 4)],
  ['./ file with = in its name', '-rw-r--r-- 0/0               4 2026-11-25 17:18 ./app/data/x=y.csv', file('/app/data/x=y.csv', 4)],
  ['./ directory with a space', 'drwxr-xr-x 0/0               0 2026-11-25 17:18 ./app/model files/', dir('/app/model files')],
  [
    './ symlink, spaces on both sides',
    'lrwxrwxrwx 0/0               0 2026-11-25 17:18 ./app/current model -> model files/iris model.onnx',
    link('/app/current model'),
  ],
  ['./ symlink, relative', 'lrwxrwxrwx 0/0               0 2026-11-25 17:18 ./app/data/link.py -> ../serve.py', link('/app/data/link.py')],
  [
    './ hard link, spaces on both sides',
    'hrw-r--r-- 0/0               0 2026-11-25 17:18 ./app/model files/iris model.onnx link to ./app/model files/latest model.onnx',
    link('/app/model files/iris model.onnx'),
  ],
  ['./ file with spaces', '-rw-r--r-- 0/0               7 2026-11-25 17:18 ./app/model files/latest model.onnx', file('/app/model files/latest model.onnx', 7)],

  ['owner names instead of numbers', '-rw-r--r-- root/root      1234 2024-01-01 00:00 app/serve.py', file('/app/serve.py', 1234)],
  ['non-root numeric owner', '-rw-r--r-- 10001/10001   204800 2026-11-25 17:18 app/model.joblib', file('/app/model.joblib', 204800)],
  ['leading / kept by tar -P', '-rw-r--r-- 0/0              10 2026-11-25 17:18 /app/abs.txt', file('/app/abs.txt', 10)],
  ['a regular file whose name holds " -> " keeps it', '-rw-r--r-- 0/0               3 2026-11-25 17:18 app/a -> b.txt', file('/app/a -> b.txt', 3)],
  [
    'a regular file whose name holds " link to " keeps it',
    '-rw-r--r-- 0/0               3 2026-11-25 17:18 app/see link to docs.txt',
    file('/app/see link to docs.txt', 3),
  ],
  ['double space inside a name', '-rw-r--r-- 0/0               3 2026-11-25 17:18 app/two  spaces.txt', file('/app/two  spaces.txt', 3)],
  ['block device (skipped)', 'brw-rw---- 0/6             8,0 2026-11-25 17:06 dev/sda', null],
  ['blank line', '', null],
  ['tar warning', "tar: Removing leading `/' from member names", null],
];

describe('parseTarListing, one line', () => {
  it.each(LINES)('%s', (_name, line, expected) => {
    expect(parseTarListing(line)).toEqual(expected ? [expected] : []);
  });
});

describe('parseTarListing, whole listings', () => {
  it('keeps the listing order and skips what is not a file, folder or link', () => {
    const text = LINES.map(([, line]) => line).join('\n');
    expect(parseTarListing(text)).toEqual(LINES.flatMap(([, , e]) => (e ? [e] : [])));
  });

  it('blank lines and a trailing newline are skipped', () => {
    const text = '-rw-r--r-- 0/0 1 2026-11-25 17:18 a\n\n-rw-r--r-- 0/0 2 2026-11-25 17:18 b\n';
    expect(parseTarListing(text)).toEqual([file('/a', 1), file('/b', 2)]);
  });

  it('an empty listing is no files', () => {
    expect(parseTarListing('')).toEqual([]);
  });

  it('the recorded export of the dirty image parses to the recorded facts', () => {
    const listing = readFileSync(path.join(FIXTURES, 'build', 'dirty-app.tar-tv.txt'), 'utf8');
    const facts = JSON.parse(readFileSync(path.join(FIXTURES, 'build', 'dirty-app.json'), 'utf8')) as ImageFacts;
    expect(parseTarListing(listing)).toEqual(facts.files);
  });
});

interface Call {
  command: string;
  args: readonly string[];
  options: ExecOptions | undefined;
}

const CONTAINER = '6d637f9e6918e499539b17aa8514814260063016955ecc74f2ccc3890f6d04f8';
const IMAGE = 'registry.example:5000/team/iris:v1';

/** An Exec that answers docker and tar with the outputs recorded for the dirty image. */
function recordedExec(fail?: 'export' | 'tar'): { exec: Exec; calls: Call[] } {
  const read = (name: string): string => readFileSync(path.join(FIXTURES, 'build', name), 'utf8');
  const calls: Call[] = [];
  const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, truncated: false });
  const exec: Exec = async (command, args, options) => {
    calls.push({ command, args, options });
    const key = `${command} ${args[0]}`;
    if (fail && key.startsWith(fail === 'export' ? 'docker export' : 'tar ')) throw new Error(`${fail} failed`);
    switch (key) {
      case 'docker image':
        return ok(read('dirty-app.inspect.json'));
      case 'docker history':
        return ok(read('dirty-app.history.jsonl'));
      case 'docker create':
        return ok(`${CONTAINER}\n`);
      case 'docker export':
      case 'docker rm':
        return ok('');
      case 'tar --list':
        return ok(read('dirty-app.tar-tv.txt'));
      default:
        throw new Error(`unexpected command: ${command} ${args.join(' ')}`);
    }
  };
  return { exec, calls };
}

describe('readImageFacts on recorded docker output', () => {
  it('reads user, size, layers and files', async () => {
    const { exec } = recordedExec();
    const facts = await readImageFacts(exec, 'docker', IMAGE, tempDir());
    const recorded = JSON.parse(readFileSync(path.join(FIXTURES, 'build', 'dirty-app.json'), 'utf8')) as ImageFacts;
    const { config, ...content } = facts;
    expect(content).toEqual(recorded);
    // The credentials guard's facts: Env and Labels from the config, the history oldest step first.
    expect(config.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8']);
    expect(config.labels).toEqual({});
    expect(config.history[0]).toBe('');
    expect(config.history.at(-1)).toContain('CMD ["python3" "/app/serve.py"]');
    // The history's Size is a string of bytes; the imported base layer has no CreatedBy.
    expect(facts.layers.at(-1)).toEqual({ createdBy: '', sizeBytes: 116529736 });
    expect(facts.user).toBe('');
  });

  it('runs docker and tar with argv arrays, exports to a private folder and removes the container', async () => {
    const { exec, calls } = recordedExec();
    const temp = tempDir();
    await readImageFacts(exec, 'docker', IMAGE, temp);
    const tar = calls.find((c) => c.command === 'docker' && c.args[0] === 'export')?.args[2] ?? '';
    expect(path.dirname(path.dirname(tar))).toBe(temp);
    expect(path.basename(path.dirname(tar))).toMatch(/^model-canary-export-/);
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['docker', 'image', 'inspect', '--format', '{{json .}}', IMAGE],
      ['docker', 'history', '--no-trunc', '--human=false', '--format', '{{json .}}', IMAGE],
      ['docker', 'create', IMAGE, 'model-canary-inspect'],
      ['docker', 'export', '--output', tar, CONTAINER],
      ['tar', '--list', '--verbose', '--numeric-owner', '--file', tar],
      ['docker', 'rm', '--force', CONTAINER],
    ]);
    expect(calls.at(-1)?.options).toEqual({ allowFailure: true });
    expect(readdirSync(temp)).toEqual([]);
  });

  it.each<'export' | 'tar'>(['export', 'tar'])('when %s fails, still removes the container and the export folder', async (step) => {
    const { exec, calls } = recordedExec(step);
    const temp = tempDir();
    await expect(readImageFacts(exec, 'docker', IMAGE, temp)).rejects.toThrow(`${step} failed`);
    expect(calls.at(-1)?.args).toEqual(['rm', '--force', CONTAINER]);
    expect(readdirSync(temp)).toEqual([]);
    expect(existsSync(temp)).toBe(true);
  });
});

describe('readImageFacts with a listing cache', () => {
  it('exports the image once per layer chain and reads the listing back from the cache after that', async () => {
    const cache = tempDir();
    const first = recordedExec();
    const fresh = await readImageFacts(first.exec, 'docker', IMAGE, tempDir(), cache);
    expect(first.calls.some((c) => c.args[0] === 'export')).toBe(true);
    const second = recordedExec();
    const cached = await readImageFacts(second.exec, 'docker', IMAGE, tempDir(), cache);
    expect(second.calls.map((c) => `${c.command} ${c.args[0]}`)).toEqual(['docker image', 'docker history']);
    expect(cached).toEqual(fresh);
  });
});
