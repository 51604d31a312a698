import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelServerPython } from '../helpers/model-server-python.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TESTS = 'templates/docker/server/tests';

describe('the model server (templates/docker/server)', () => {
  it('passes its own pytest tests: protocols, metrics, faults, configuration, draining, batch jobs (with a redis-server)', () => {
    const python = modelServerPython();
    // No bytecode or pytest cache left in the repository (the server folder is copied into images).
    const run = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', TESTS], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 150_000,
    });
    if (run.error) throw run.error;
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`${python} -m pytest ${TESTS} exited with ${run.status ?? run.signal}:\n${output}`);
    expect(output).toMatch(/\b\d+ passed\b/);
    expect(output).not.toMatch(/\b\d+ (failed|errors?)\b/);
  }, 180_000);
});
