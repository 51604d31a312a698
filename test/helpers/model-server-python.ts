import { execFileSync } from 'node:child_process';

// pyenv's python3 may shadow Debian's, which is the one the apt packages install into: Debian's first.
const PYTHONS = ['/usr/bin/python3', 'python3'];

/** What the model server's pytest tests import, and the Debian packages that provide it (cluster/prereqs.sh). */
const MODULES = ['pytest', 'httpx', 'fastapi', 'uvicorn', 'numpy', 'sklearn', 'joblib', 'prometheus_client', 'redis'];
export const MODEL_SERVER_APT =
  'apt-get install python3-pytest python3-httpx python3-fastapi python3-uvicorn python3-numpy python3-sklearn python3-joblib python3-prometheus-client python3-redis redis-server';
/** The batch jobs' tests start a redis-server of their own: on PATH, or Debian's. */
const REDIS_SERVERS = ['redis-server', '/usr/bin/redis-server'];

const CHECK = `
import importlib, sys
missing = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError as error:
        missing.append('%s (%s)' % (name, error))
if missing:
    print('missing: ' + ', '.join(missing), file=sys.stderr)
    sys.exit(3)
print(sys.executable)
`;

function hasRedisServer(): boolean {
  for (const binary of REDIS_SERVERS) {
    try {
      execFileSync(binary, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      // not this one
    }
  }
  return false;
}

/**
 * The first interpreter that imports everything the model server's tests need (the check exits 3 when one is
 * missing, and the next interpreter is tried). Throws with the apt-get hint when none has them, or when there is no
 * redis-server, so the tests fail rather than skip.
 */
export function modelServerPython(): string {
  if (!hasRedisServer()) throw new Error(`The model server's tests need redis-server (${REDIS_SERVERS.join(', ')}: not found): ${MODEL_SERVER_APT}`);
  const tried: string[] = [];
  for (const python of PYTHONS) {
    try {
      execFileSync(python, ['-c', CHECK, ...MODULES], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
      return python;
    } catch (error) {
      const e = error as { status?: number | null; code?: string; stderr?: string };
      if (e.code !== 'ENOENT' && e.status !== 3) throw error;
      tried.push(`${python}: ${e.code === 'ENOENT' ? 'not found' : (e.stderr ?? '').trim()}`);
    }
  }
  throw new Error(`The model server's tests need python3 with ${MODULES.join(', ')}: ${MODEL_SERVER_APT} (tried ${tried.join('; ')})`);
}
