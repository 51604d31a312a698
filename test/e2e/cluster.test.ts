import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestOnce } from './fixtures/http-once.js';
import {
  applyObjects,
  buildAndPush,
  exec,
  kubectl,
  kubectlJson,
  REGISTRY,
  REPO_ROOT,
  RESTRICTED_CONTAINER,
  restrictedNamespace,
  uniqueName,
} from './cluster-env.js';

// The real cluster from cluster/up.sh: a 2-replica Deployment from an image built here, reached through
// the API server's pods proxy, its Service from the host and from a pod, and its DNS name from a pod.

interface Pod {
  metadata: { name: string };
  status: { podIP: string; phase: string; conditions?: { type: string; status: string; reason?: string }[] };
}

const ns = uniqueName('e2e-cluster');
const app = 'hello';
let image = '';

beforeAll(async () => {
  await applyObjects([restrictedNamespace(ns)]);
  image = await buildAndPush(path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'http-server'), 'e2e/http-server', {
    BASE_IMAGE: `${REGISTRY}/model-canary/debian-python:bookworm`,
  });
}, 600_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s'], { allowFailure: true });
}, 180_000);

describe('the local cluster', () => {
  it('pushes the image by digest', () => {
    expect(image).toMatch(/^127\.0\.0\.1:5000\/e2e\/http-server@sha256:[a-f0-9]{64}$/);
  });

  it('runs a 2-replica Deployment under Pod Security "restricted" and reaches it every way', async () => {
    await applyObjects([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app, namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'web',
                  image,
                  ports: [{ containerPort: 8080 }],
                  readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 },
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
                  securityContext: RESTRICTED_CONTAINER,
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app, namespace: ns },
        spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ]);
    await kubectl(['-n', ns, 'rollout', 'status', `deployment/${app}`, '--timeout=120s']);

    const pods = await kubectlJson<{ items: Pod[] }>(['-n', ns, 'get', 'pods', '-l', `app=${app}`]);
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      // Each pod through the API server's pods proxy: the pod answers with its own name.
      const raw = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}:8080/proxy/hello`]);
      expect(JSON.parse(raw.stdout)).toEqual({ pod: pod.metadata.name, path: '/hello' });
    }

    // The Service's ClusterIP from the host (kube-proxy's rules), spread over both pods. kube-proxy
    // writes its rules a moment after the endpoints change, so the first answer may take a second.
    const svc = await kubectlJson<{ spec: { clusterIP: string } }>(['-n', ns, 'get', 'service', app]);
    const seen = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (seen.size < 2 && Date.now() < deadline) {
      try {
        // A connection of its own each time: one opened before the rule existed must not be reused.
        const response = await requestOnce(`http://${svc.spec.clusterIP}/from-host`, { timeoutMs: 5000 });
        expect(response.status).toBe(200);
        seen.add((JSON.parse(await response.text()) as { pod: string }).pod);
      } catch (err) {
        if (seen.size > 0) throw err; // once rules are in place, every request must succeed
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect([...seen].sort()).toEqual(pods.items.map((p) => p.metadata.name).sort());

    // From inside a pod: the ClusterIP, and the Service's DNS name through CoreDNS.
    const first = pods.items[0]?.metadata.name ?? '';
    const fqdn = `${app}.${ns}.svc.cluster.local`;
    const script = [
      'import json, socket, urllib.request',
      `ip = socket.gethostbyname("${fqdn}")`,
      `body = json.load(urllib.request.urlopen("http://${svc.spec.clusterIP}/from-pod", timeout=5))`,
      'print(json.dumps({"resolved": ip, "path": body["path"]}))',
    ].join('\n');
    const inPod = await kubectl(['-n', ns, 'exec', first, '--', 'python3', '-c', script]);
    expect(JSON.parse(inPod.stdout)).toEqual({ resolved: svc.spec.clusterIP, path: '/from-pod' });
  }, 300_000);

  it('leaves a pod that asks for a GPU Pending with Unschedulable', async () => {
    await applyObjects([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'wants-gpu', namespace: ns },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'model',
              image,
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi', 'nvidia.com/gpu': '1' } },
              securityContext: RESTRICTED_CONTAINER,
            },
          ],
        },
      },
    ]);
    await kubectl(['-n', ns, 'wait', 'pod/wants-gpu', '--for=condition=PodScheduled=False', '--timeout=60s']);
    const pod = await kubectlJson<Pod>(['-n', ns, 'get', 'pod', 'wants-gpu']);
    expect(pod.status.phase).toBe('Pending');
    const scheduled = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  }, 120_000);

  it('refuses a pod without the restricted securityContext (PodSecurity admission)', async () => {
    const result = await kubectl(['-n', ns, 'run', 'rooty', `--image=${image}`, '--restart=Never'], { allowFailure: true });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('violates PodSecurity "restricted:latest"');
  });

  it('mints a ServiceAccount kubeconfig that has only what its Role grants', async () => {
    await applyObjects([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'pod-reader', namespace: ns },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
      },
    ]);
    const file = path.join(REPO_ROOT, '.model-canary', `${ns}-reader.kubeconfig`);
    await exec('bash', [path.join(REPO_ROOT, 'cluster', 'sa-kubeconfig.sh'), ns, 'reader', file]);
    const pods = await kubectl(['-n', ns, 'get', 'pods', '-o', 'name'], { kubeconfig: file });
    expect(pods.stdout).toContain('pod/');
    const secrets = await kubectl(['-n', ns, 'get', 'secrets'], { kubeconfig: file, allowFailure: true });
    expect(secrets.exitCode).not.toBe(0);
    expect(secrets.stderr).toContain(`User "system:serviceaccount:${ns}:reader" cannot list resource "secrets"`);
    const other = await kubectl(['-n', 'kube-system', 'get', 'pods'], { kubeconfig: file, allowFailure: true });
    expect(other.exitCode).not.toBe(0);
  }, 120_000);
});
