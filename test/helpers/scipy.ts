import { execFileSync } from 'node:child_process';

// pyenv's python3 may shadow Debian's, which is the one python3-scipy installs into.
const PYTHONS = ['python3', '/usr/bin/python3'];

/**
 * Runs a Python script that prints JSON, with the first interpreter that has NumPy and SciPy: the script
 * exits 3 when it cannot import them, and the next interpreter is tried. Throws with the apt-get hint when
 * none has them, so a missing SciPy fails the tests that need it rather than skipping them.
 */
export function runScipy<T>(script: string, args: string[]): T {
  const tried: string[] = [];
  for (const python of PYTHONS) {
    try {
      return JSON.parse(
        execFileSync(python, ['-c', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }),
      ) as T;
    } catch (error) {
      const e = error as { status?: number | null; code?: string; stderr?: string };
      if (e.code !== 'ENOENT' && e.status !== 3) throw error;
      tried.push(`${python}: ${e.code === 'ENOENT' ? 'not found' : (e.stderr ?? '').trim()}`);
    }
  }
  throw new Error(`These tests need python3 with NumPy and SciPy: apt-get install python3-scipy (tried ${tried.join('; ')})`);
}

/** The import guard such a script starts with (exit 3 when NumPy or SciPy is missing). */
export const SCIPY_IMPORTS = `
import json, math, sys, warnings
try:
    import numpy as np
    from scipy import stats
except ImportError as error:
    print('missing: %s' % error, file=sys.stderr)
    sys.exit(3)
warnings.simplefilter('ignore')
`;
