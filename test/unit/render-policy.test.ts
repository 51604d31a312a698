import { describe, expect, it } from 'vitest';
import type { RenderPolicy } from '../../src/config/types.js';
import type { KubeObject } from '../../src/render/objects.js';
import { checkPolicy, RULES, type PolicyRule } from '../../src/render/policy.js';
import { DIGEST } from '../fixtures/render/context.js';

const IMAGE = `registry.example:5000/team/iris@${DIGEST}`;
const ALL_ERROR = Object.fromEntries(Object.keys(RULES).map((r) => [r, 'error'])) as unknown as RenderPolicy;

type Pod = Record<string, unknown> & { containers: Record<string, unknown>[] };

/** A Deployment that passes every rule; each case changes one thing. */
function good(): KubeObject & { spec: { replicas?: number; template: { spec: Pod } } } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'iris' },
    spec: {
      replicas: 2,
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001 },
          containers: [
            {
              name: 'server',
              image: IMAGE,
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
            },
          ],
        },
      },
    },
  };
}

const server = (d: ReturnType<typeof good>): Record<string, unknown> => d.spec.template.spec.containers[0] as Record<string, unknown>;
const hpaFor = (name: string): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 3 },
});
const C0 = 'spec.template.spec.containers[0]';

/** For each rule: objects that break it (with the field named) and objects that pass it. */
const CASES: Record<PolicyRule, { failing: [string, () => KubeObject[], string, RegExp][]; passing: [string, () => KubeObject[]][] }> = {
  missingResources: {
    failing: [
      [
        'no resources',
        () => {
          const d = good();
          delete server(d)['resources'];
          return [d];
        },
        `${C0}.resources`,
        /container "server" has no requests.cpu, requests.memory, limits.memory; set requests/,
      ],
      [
        'no memory limit',
        () => {
          const d = good();
          server(d)['resources'] = { requests: { cpu: '1', memory: '1Gi' } };
          return [d];
        },
        `${C0}.resources`,
        /has no limits.memory/,
      ],
      [
        'an init container without requests',
        () => {
          const d = good();
          d.spec.template.spec['initContainers'] = [{ name: 'fetch', image: IMAGE, resources: { limits: { memory: '1Gi' } } }];
          return [d];
        },
        'spec.template.spec.initContainers[0].resources',
        /init container "fetch" has no requests.cpu, requests.memory/,
      ],
    ],
    passing: [['requests and a memory limit', () => [good()]]],
  },
  missingReadinessProbe: {
    failing: [
      [
        'a serving container without one',
        () => {
          const d = good();
          delete server(d)['readinessProbe'];
          return [d];
        },
        `${C0}.readinessProbe`,
        /container "server" has no readinessProbe; add one on the model-ready endpoint/,
      ],
    ],
    passing: [
      ['a probe', () => [good()]],
      [
        'a Job, which runs to completion',
        () => {
          const d = good();
          delete server(d)['readinessProbe'];
          return [{ ...d, apiVersion: 'batch/v1', kind: 'Job', spec: { template: d.spec.template } }];
        },
      ],
      [
        "an InferenceService, whose readiness is KServe's",
        () => [
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            metadata: { name: 'iris' },
            spec: {
              predictor: {
                securityContext: { runAsNonRoot: true },
                model: { modelFormat: { name: 'sklearn' }, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } } },
              },
            },
          },
        ],
      ],
    ],
  },
  unpinnedImage: {
    failing: [
      [
        'a tag',
        () => {
          const d = good();
          server(d)['image'] = 'registry.example:5000/team/iris:1.0';
          return [d];
        },
        `${C0}.image`,
        /image "registry.example:5000\/team\/iris:1.0" is not pinned by digest; use repository@sha256/,
      ],
    ],
    passing: [['a digest', () => [good()]]],
  },
  latestTag: {
    failing: [
      [
        'latest',
        () => {
          const d = good();
          server(d)['image'] = 'busybox:latest';
          return [d];
        },
        `${C0}.image`,
        /uses the latest tag; pin it by digest/,
      ],
      [
        'no tag at all',
        () => {
          const d = good();
          server(d)['image'] = 'busybox';
          return [d];
        },
        `${C0}.image`,
        /has no tag, so it means latest/,
      ],
    ],
    passing: [
      [
        'a version tag',
        () => {
          const d = good();
          server(d)['image'] = 'busybox:1.36';
          return [d];
        },
      ],
      [
        'latest pinned by digest',
        () => {
          const d = good();
          server(d)['image'] = `busybox:latest@${DIGEST}`;
          return [d];
        },
      ],
    ],
  },
  privileged: {
    failing: [
      [
        'privileged: true',
        () => {
          const d = good();
          server(d)['securityContext'] = { privileged: true };
          return [d];
        },
        `${C0}.securityContext.privileged`,
        /is privileged; remove privileged: true/,
      ],
      [
        'privilege escalation',
        () => {
          const d = good();
          server(d)['securityContext'] = { allowPrivilegeEscalation: true };
          return [d];
        },
        `${C0}.securityContext.allowPrivilegeEscalation`,
        /allows privilege escalation/,
      ],
      [
        'added capabilities',
        () => {
          const d = good();
          server(d)['securityContext'] = { capabilities: { add: ['SYS_ADMIN', 'NET_BIND_SERVICE'] } };
          return [d];
        },
        `${C0}.securityContext.capabilities.add`,
        /adds capabilities SYS_ADMIN;/,
      ],
    ],
    passing: [
      ['drop ALL', () => [good()]],
      [
        'NET_BIND_SERVICE only',
        () => {
          const d = good();
          server(d)['securityContext'] = { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } };
          return [d];
        },
      ],
    ],
  },
  runAsRoot: {
    failing: [
      [
        'no runAsNonRoot anywhere',
        () => {
          const d = good();
          delete d.spec.template.spec['securityContext'];
          return [d];
        },
        `${C0}.securityContext.runAsNonRoot`,
        /container "server" may run as root; set runAsNonRoot: true/,
      ],
      [
        'runAsUser 0 on the container',
        () => {
          const d = good();
          server(d)['securityContext'] = { runAsUser: 0 };
          return [d];
        },
        `${C0}.securityContext.runAsUser`,
        /runs as root \(runAsUser 0\)/,
      ],
      [
        'runAsNonRoot false on the container overrides the pod',
        () => {
          const d = good();
          server(d)['securityContext'] = { runAsNonRoot: false };
          return [d];
        },
        `${C0}.securityContext.runAsNonRoot`,
        /may run as root/,
      ],
    ],
    passing: [
      ['runAsNonRoot on the pod', () => [good()]],
      [
        'runAsNonRoot on the container only',
        () => {
          const d = good();
          delete d.spec.template.spec['securityContext'];
          server(d)['securityContext'] = { runAsNonRoot: true, runAsUser: 1000 };
          return [d];
        },
      ],
    ],
  },
  hostAccess: {
    failing: [
      [
        'hostNetwork',
        () => {
          const d = good();
          d.spec.template.spec['hostNetwork'] = true;
          return [d];
        },
        'spec.template.spec.hostNetwork',
        /shares the node's network; remove hostNetwork: true/,
      ],
      [
        'a hostPath volume',
        () => {
          const d = good();
          d.spec.template.spec['volumes'] = [{ name: 'models', hostPath: { path: '/data' } }];
          return [d];
        },
        'spec.template.spec.volumes[0].hostPath',
        /volume "models" mounts a host path; use an emptyDir/,
      ],
      [
        'a hostPort',
        () => {
          const d = good();
          server(d)['ports'] = [{ containerPort: 8080, hostPort: 8080 }];
          return [d];
        },
        `${C0}.ports[0].hostPort`,
        /port 8080 is bound on the node; remove hostPort/,
      ],
    ],
    passing: [
      [
        'pod networking and an emptyDir',
        () => {
          const d = good();
          d.spec.template.spec['volumes'] = [{ name: 'tmp', emptyDir: {} }];
          server(d)['ports'] = [{ containerPort: 8080 }];
          return [d];
        },
      ],
    ],
  },
  gpuWithoutTolerations: {
    failing: [
      [
        'a GPU limit and no toleration',
        () => {
          const d = good();
          server(d)['resources'] = { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi', 'nvidia.com/gpu': 1 } };
          return [d];
        },
        'spec.template.spec.tolerations',
        /asks for nvidia.com\/gpu but the pod tolerates no nvidia.com\/gpu taint; add a toleration/,
      ],
    ],
    passing: [
      [
        'a GPU limit with its toleration',
        () => {
          const d = good();
          server(d)['resources'] = { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi', 'nvidia.com/gpu': 1 } };
          d.spec.template.spec['tolerations'] = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
          return [d];
        },
      ],
      ['no GPU', () => [good()]],
    ],
  },
  replicasWithHpa: {
    failing: [
      [
        'replicas on a Deployment its HPA scales',
        () => [good(), hpaFor('iris')],
        'spec.replicas',
        /Deployment\/iris spec.replicas: is set although HorizontalPodAutoscaler\/iris scales it; remove spec.replicas/,
      ],
    ],
    passing: [
      [
        'no replicas under an HPA',
        () => {
          const d = good();
          delete d.spec.replicas;
          return [d, hpaFor('iris')];
        },
      ],
      ['replicas with no HPA', () => [good()]],
      ['an HPA for another Deployment', () => [good(), hpaFor('other')]],
    ],
  },
  inlineSecrets: {
    failing: [
      [
        'a Secret with data',
        () => [good(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'hunter2' } }],
        'stringData',
        /Secret\/creds stringData: holds secret values.*reference it/,
      ],
      [
        'a password in env',
        () => {
          const d = good();
          server(d)['env'] = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
          return [d];
        },
        `${C0}.env[0].value`,
        /sets DB_PASSWORD to a literal value; read it from a Secret with valueFrom.secretKeyRef/,
      ],
    ],
    passing: [
      [
        'a secretKeyRef',
        () => {
          const d = good();
          server(d)['env'] = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
          return [d];
        },
      ],
      [
        'an empty Secret (filled by the cluster)',
        () => [good(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, type: 'kubernetes.io/service-account-token' }],
      ],
    ],
  },
};

describe.each(Object.entries(CASES))('policy rule %s', (rule, { failing, passing }) => {
  it.each(failing)('fails on %s, naming the object, the field and the fix', (_name, objects, field, message) => {
    const found = RULES[rule as PolicyRule](objects());
    expect(found).toHaveLength(1);
    expect(found[0]?.field).toBe(field);
    expect(found[0]?.message).toMatch(message);
    expect(found[0]?.message.startsWith(`${found[0]?.object} ${field}: `)).toBe(true);
  });

  it.each(passing)('passes %s', (_name, objects) => {
    expect(RULES[rule as PolicyRule](objects())).toEqual([]);
  });
});

describe('checkPolicy', () => {
  const bad = (): KubeObject[] => {
    const d = good();
    server(d)['image'] = 'busybox:latest';
    return [d];
  };

  it('finds nothing in objects that pass every rule', () => {
    expect(checkPolicy([good()], ALL_ERROR)).toEqual([]);
  });

  it('gives each finding the level render.policy sets, and skips rules that are off', () => {
    const found = checkPolicy(bad(), { ...ALL_ERROR, latestTag: 'warn', unpinnedImage: 'off' });
    expect(found).toEqual([
      { rule: 'latestTag', level: 'warn', object: 'Deployment/iris', field: `${C0}.image`, message: expect.stringContaining('uses the latest tag') },
    ]);
    expect(checkPolicy(bad(), ALL_ERROR).map((f) => `${f.rule}:${f.level}`)).toEqual(['unpinnedImage:error', 'latestTag:error']);
  });

  it('has a case for every rule in render.policy', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(RULES).sort());
    for (const { failing, passing } of Object.values(CASES)) {
      expect(failing.length).toBeGreaterThan(0);
      expect(passing.length).toBeGreaterThan(0);
    }
  });
});
