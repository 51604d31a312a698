import { parseImageRef } from '../image/image-ref.js';
import type { RenderPolicy } from '../config/types.js';
import { isRecord, objectId, type KubeObject } from './objects.js';
import { allContainers, podSpecsOf, rec, type ContainerAt } from './pod-specs.js';

export type PolicyRule = keyof RenderPolicy;

/** One thing a policy rule found: which object, which field, and what to do about it. */
export interface Finding {
  rule: PolicyRule;
  level: 'error' | 'warn';
  /** Kind/name. */
  object: string;
  /** Path of the field in the object. */
  field: string;
  /** A sentence naming the object and the field, then the fix. */
  message: string;
}

type RawFinding = Omit<Finding, 'rule' | 'level'>;
type Rule = (objects: readonly KubeObject[]) => RawFinding[];

const finding = (object: string, field: string, problem: string, fix: string): RawFinding => ({
  object,
  field,
  message: `${object} ${field}: ${problem}; ${fix}.`,
});
const who = (c: ContainerAt): string => `${c.init ? 'init container' : 'container'} "${c.name}"`;

const missingResources: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const resources = rec(c.container, 'resources');
    const missing = [
      ['requests', 'cpu'],
      ['requests', 'memory'],
      ['limits', 'memory'],
    ]
      .filter(([kind, name]) => rec(resources, kind as string)?.[name as string] === undefined)
      .map(([kind, name]) => `${kind}.${name}`);
    if (missing.length === 0) return [];
    return [
      finding(
        c.pod.object,
        `${c.path}.resources`,
        `${who(c)} has no ${missing.join(', ')}`,
        "set requests (cpu, memory) and a memory limit (model-canary's chart: render.values.resources) so the scheduler reserves what the model needs and a leak cannot starve the node",
      ),
    ];
  });

const missingReadinessProbe: Rule = (objects) =>
  allContainers(objects)
    .filter((c) => c.pod.longRunning && !c.pod.platformReadiness && !c.init && c.container['readinessProbe'] === undefined)
    .map((c) =>
      finding(
        c.pod.object,
        `${c.path}.readinessProbe`,
        `${who(c)} has no readinessProbe`,
        'add one on the model-ready endpoint, or pods get traffic before the model is loaded',
      ),
    );

function parsedImage(c: ContainerAt): { text: string; tag?: string; digest?: string } | undefined {
  const text = c.container['image'];
  if (typeof text !== 'string') return undefined;
  try {
    const ref = parseImageRef(text);
    return { text, ...(ref.tag !== undefined ? { tag: ref.tag } : {}), ...(ref.digest !== undefined ? { digest: ref.digest } : {}) };
  } catch {
    return { text };
  }
}

const unpinnedImage: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const image = parsedImage(c);
    if (!image || image.digest) return [];
    return [
      finding(
        c.pod.object,
        `${c.path}.image`,
        `${who(c)} image "${image.text}" is not pinned by digest`,
        'use repository@sha256:<digest> so every pod runs the same bytes (model-canary pins image.repository itself; pin the other images)',
      ),
    ];
  });

const latestTag: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const image = parsedImage(c);
    if (!image || image.digest || (image.tag !== undefined && image.tag !== 'latest')) return [];
    const how = image.tag === 'latest' ? 'uses the latest tag' : 'has no tag, so it means latest';
    return [finding(c.pod.object, `${c.path}.image`, `${who(c)} image "${image.text}" ${how}`, 'pin it by digest (or at least a fixed version tag)')];
  });

const privileged: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const sc = rec(c.container, 'securityContext');
    const out: RawFinding[] = [];
    if (sc?.['privileged'] === true) {
      out.push(
        finding(
          c.pod.object,
          `${c.path}.securityContext.privileged`,
          `${who(c)} is privileged`,
          'remove privileged: true; a model server needs no host access',
        ),
      );
    }
    if (sc?.['allowPrivilegeEscalation'] === true) {
      out.push(
        finding(
          c.pod.object,
          `${c.path}.securityContext.allowPrivilegeEscalation`,
          `${who(c)} allows privilege escalation`,
          'set allowPrivilegeEscalation: false',
        ),
      );
    }
    const added = rec(sc, 'capabilities')?.['add'];
    const extra = Array.isArray(added) ? added.filter((cap) => cap !== 'NET_BIND_SERVICE') : [];
    if (extra.length > 0) {
      out.push(
        finding(
          c.pod.object,
          `${c.path}.securityContext.capabilities.add`,
          `${who(c)} adds capabilities ${extra.join(', ')}`,
          'drop ALL capabilities and add none (NET_BIND_SERVICE at most)',
        ),
      );
    }
    return out;
  });

const runAsRoot: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const pod = rec(c.pod.spec, 'securityContext');
    const own = rec(c.container, 'securityContext');
    const user = own?.['runAsUser'] ?? pod?.['runAsUser'];
    if (user === 0) {
      const where = own?.['runAsUser'] === 0 ? `${c.path}.securityContext.runAsUser` : `${c.pod.path}.securityContext.runAsUser`;
      return [finding(c.pod.object, where, `${who(c)} runs as root (runAsUser 0)`, 'run as a non-zero user id and set runAsNonRoot: true')];
    }
    if ((own?.['runAsNonRoot'] ?? pod?.['runAsNonRoot']) !== true) {
      return [
        finding(
          c.pod.object,
          `${c.path}.securityContext.runAsNonRoot`,
          `${who(c)} may run as root`,
          'set runAsNonRoot: true (on the pod or the container) with a non-zero runAsUser',
        ),
      ];
    }
    return [];
  });

const HOST_NAMESPACES = { hostNetwork: 'network', hostPID: 'process ids', hostIPC: 'IPC namespace' };

const hostAccess: Rule = (objects) =>
  objects.flatMap(podSpecsOf).flatMap((pod) => {
    const out: RawFinding[] = [];
    for (const [field, what] of Object.entries(HOST_NAMESPACES)) {
      if (pod.spec[field] === true) out.push(finding(pod.object, `${pod.path}.${field}`, `the pod shares the node's ${what}`, `remove ${field}: true`));
    }
    const volumes = pod.spec['volumes'];
    if (Array.isArray(volumes)) {
      volumes.forEach((v, i) => {
        if (isRecord(v) && v['hostPath'] !== undefined) {
          out.push(
            finding(
              pod.object,
              `${pod.path}.volumes[${i}].hostPath`,
              `volume "${String(v['name'])}" mounts a host path`,
              'use an emptyDir, a PersistentVolumeClaim or a ConfigMap instead',
            ),
          );
        }
      });
    }
    for (const list of ['containers', 'initContainers']) {
      const containers = pod.spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((c, i) => {
        const ports = isRecord(c) ? c['ports'] : undefined;
        if (!Array.isArray(ports)) return;
        ports.forEach((p, j) => {
          if (isRecord(p) && typeof p['hostPort'] === 'number' && p['hostPort'] > 0) {
            out.push(
              finding(
                pod.object,
                `${pod.path}.${list}[${i}].ports[${j}].hostPort`,
                `port ${String(p['containerPort'])} is bound on the node`,
                'remove hostPort and reach the pods through a Service',
              ),
            );
          }
        });
      });
    }
    return out;
  });

const GPU_RESOURCE = /(^|\/)gpu$|^nvidia\.com\//;

const gpuWithoutTolerations: Rule = (objects) =>
  allContainers(objects).flatMap((c) => {
    const resources = rec(c.container, 'resources');
    const gpus = new Set(
      [...Object.keys(rec(resources, 'limits') ?? {}), ...Object.keys(rec(resources, 'requests') ?? {})].filter((k) => GPU_RESOURCE.test(k)),
    );
    const tolerations = Array.isArray(c.pod.spec['tolerations']) ? c.pod.spec['tolerations'].filter(isRecord) : [];
    return [...gpus]
      .filter((gpu) => !tolerations.some((t) => t['key'] === gpu || (t['operator'] === 'Exists' && (t['key'] === undefined || t['key'] === ''))))
      .map((gpu) =>
        finding(
          c.pod.object,
          `${c.pod.path}.tolerations`,
          `${who(c)} asks for ${gpu} but the pod tolerates no ${gpu} taint`,
          `add a toleration {key: ${gpu}, operator: Exists, effect: NoSchedule} (model-canary's chart adds it with gpu.count), or GPU nodes, which are usually tainted, never take the pod`,
        ),
      );
  });

const replicasWithHpa: Rule = (objects) => {
  const targets = objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler')
    .flatMap((hpa) => {
      const ref = rec(hpa['spec'], 'scaleTargetRef');
      return ref ? [{ hpa: objectId(hpa), kind: ref['kind'], name: ref['name'] }] : [];
    });
  return objects.flatMap((o) => {
    const target = targets.find((t) => t.kind === o.kind && t.name === o.metadata.name);
    if (!target || !isRecord(o['spec']) || o['spec']['replicas'] === undefined) return [];
    return [
      finding(
        objectId(o),
        'spec.replicas',
        `is set although ${target.hpa} scales it`,
        "remove spec.replicas (model-canary's chart leaves it out when autoscaling.enabled is true), or every apply resets the HPA's choice",
      ),
    ];
  });
};

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

const inlineSecrets: Rule = (objects) => {
  const inSecrets = objects
    .filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1')
    .flatMap((o) =>
      ['data', 'stringData']
        .filter((field) => isRecord(o[field]) && Object.keys(o[field] as object).length > 0)
        .map((field) =>
          finding(
            objectId(o),
            field,
            'holds secret values in the rendered objects (and so in files and logs)',
            'create the Secret outside model-canary and reference it (render.values.secretEnv or envFromSecrets)',
          ),
        ),
    );
  const inEnv = allContainers(objects).flatMap((c) => {
    const env = c.container['env'];
    if (!Array.isArray(env)) return [];
    return env.flatMap((e, i) =>
      isRecord(e) && typeof e['name'] === 'string' && SECRET_NAME.test(e['name']) && typeof e['value'] === 'string' && e['value'] !== ''
        ? [
            finding(
              c.pod.object,
              `${c.path}.env[${i}].value`,
              `${who(c)} sets ${e['name']} to a literal value`,
              "read it from a Secret with valueFrom.secretKeyRef (model-canary's chart: render.values.secretEnv)",
            ),
          ]
        : [],
    );
  });
  return [...inSecrets, ...inEnv];
};

/** The rules, by their name in render.policy. */
export const RULES: Record<PolicyRule, Rule> = {
  missingResources,
  missingReadinessProbe,
  unpinnedImage,
  latestTag,
  privileged,
  runAsRoot,
  hostAccess,
  gpuWithoutTolerations,
  replicasWithHpa,
  inlineSecrets,
};

/** Runs every rule that is not off and returns what they found, at the level render.policy gives. */
export function checkPolicy(objects: readonly KubeObject[], policy: RenderPolicy): Finding[] {
  return (Object.keys(RULES) as PolicyRule[]).flatMap((rule) => {
    const level = policy[rule];
    if (level === 'off') return [];
    return RULES[rule](objects).map((f) => ({ rule, level, ...f }));
  });
}
