import { parseImageRef, repositoryOf } from '../image/image-ref.js';
import { isRecord, objectId, type KubeObject } from './objects.js';
import type { TargetImage } from './values.js';

/** A container image found in an object. */
export interface ImageUse {
  object: string;
  /** Path of the image field, for example spec.template.spec.containers[0].image. */
  field: string;
  image: string;
}

export interface Injection {
  /** The objects with the model's image set (new objects; the input is not changed). */
  objects: KubeObject[];
  /** Every use of the model's image, with what it was before. */
  replaced: (ImageUse & { now: string })[];
  /** Images of other containers (sidecars, init containers of other images), left as they are. */
  others: ImageUse[];
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** The reference the objects run: repository@digest, or repository:tag when there is no digest. */
export function targetReference(image: TargetImage): string {
  if (image.digest) return `${image.repository}@${image.digest}`;
  return image.tag ? `${image.repository}:${image.tag}` : image.repository;
}

/**
 * Sets the model's image wherever it appears: in containers, init containers and ephemeral containers of
 * any object (Deployments, Jobs, Pods, InferenceServices, custom workloads), whatever tag or digest it had.
 * An image is the model's when its registry and path equal image.repository's, so registries with ports and
 * references already pinned to another digest are found. Works on the parsed objects, never on text.
 */
export function injectImage(objects: readonly KubeObject[], image: TargetImage): Injection {
  const wanted = repositoryOf(parseImageRef(image.repository));
  const now = targetReference(image);
  const replaced: Injection['replaced'] = [];
  const others: ImageUse[] = [];
  const out = objects.map((original) => {
    const object = structuredClone(original);
    visitContainers(object, (container, field) => {
      const current = container['image'];
      if (typeof current !== 'string') return;
      const use = { object: objectId(object), field, image: current };
      if (repositoryOfText(current) === wanted) {
        container['image'] = now;
        replaced.push({ ...use, now });
      } else {
        others.push(use);
      }
    });
    return object;
  });
  return { objects: out, replaced, others };
}

/** Calls fn on every container of every container list in the object, with the image field's path. */
export function visitContainers(object: unknown, fn: (container: Record<string, unknown>, imageField: string) => void): void {
  walk(object, '', fn);
}

function walk(node: unknown, at: string, fn: (container: Record<string, unknown>, imageField: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${at}[${i}]`, fn));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const here = at === '' ? key : `${at}.${key}`;
    if (CONTAINER_LISTS.includes(key) && Array.isArray(value)) {
      value.forEach((container, i) => {
        if (isRecord(container)) fn(container, `${here}[${i}].image`);
      });
    }
    walk(value, here, fn);
  }
}

function repositoryOfText(image: string): string | undefined {
  try {
    return repositoryOf(parseImageRef(image));
  } catch {
    return undefined; // not a reference we can read (a leftover placeholder); the policy reports it
  }
}
