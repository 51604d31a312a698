import { spawn, type ChildProcess } from 'node:child_process';
import { KUBECONFIG, KUBECTL } from './cluster-env.js';

/** `kubectl proxy` on a free port: the API server at `url`, so /api/v1/namespaces/NS/pods/NAME:PORT/proxy/... */
export interface KubectlProxy {
  url: string;
  child: ChildProcess;
}

export async function startKubectlProxy(): Promise<KubectlProxy> {
  const child = spawn(KUBECTL, ['--kubeconfig', KUBECONFIG, 'proxy', '--port=0', '--address=127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /Starting to serve on (127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl proxy exited (${code}): ${output}`));
    });
  });
  return { url, child };
}
