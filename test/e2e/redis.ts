import { randomBytes } from 'node:crypto';
import { applyObjects, kubectl, REGISTRY, RESTRICTED_CONTAINER } from './cluster-env.js';

// The batch jobs' Redis for a test namespace: the image cluster/images.sh builds (templates/docker/redis: Debian's
// redis-server, a password, no persistence), a Secret holding its URL and password as the chart's queue.secretName
// reads them, and a Service. On your own cluster, MODEL_CANARY_REDIS_IMAGE names an image of that Dockerfile in a
// registry it pulls from.

export const REDIS_IMAGE = process.env['MODEL_CANARY_REDIS_IMAGE'] ?? `${REGISTRY}/model-canary/redis:bookworm`;
export const REDIS_SECRET = 'redis';

/** Starts Redis in ns (as the cluster's admin: it is the test's infrastructure, not the release's) and waits for it. */
export async function startRedis(ns: string): Promise<{ password: string; url: string }> {
  const password = randomBytes(18).toString('hex');
  const url = `redis://redis.${ns}.svc:6379/0`;
  const labels = { app: 'redis' };
  await applyObjects([
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: REDIS_SECRET, namespace: ns }, type: 'Opaque', stringData: { url, password } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'redis', namespace: ns }, spec: { selector: labels, ports: [{ port: 6379, targetPort: 6379 }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'redis', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'redis',
                image: REDIS_IMAGE,
                ports: [{ containerPort: 6379 }],
                env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: REDIS_SECRET, key: 'password' } } }],
                readinessProbe: { tcpSocket: { port: 6379 }, periodSeconds: 1 },
                resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
    },
  ]);
  await kubectl(['-n', ns, 'rollout', 'status', 'deployment/redis', '--timeout=120s'], { timeoutMs: 150_000 });
  return { password, url };
}

/** Another Secret of the queue's shape (url, password): a wrong password, an address nothing answers. */
export async function queueSecret(ns: string, name: string, url: string, password: string): Promise<void> {
  await applyObjects([{ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', stringData: { url, password } }]);
}
