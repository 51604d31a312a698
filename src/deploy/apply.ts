import type { CleanupRecorder } from '../core/context.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { resourcePath } from '../kube/resources.js';
import type { Logger } from '../log/logger.js';
import { deleteDeployment, DeploymentLeftBehind } from './left-behind.js';
import { isDeployment } from './types.js';

/** kind/name, how the cleanup state and messages name an object. */
export const objectKey = (o: KubeObject): string => `${o.kind}/${o.metadata.name}`;

export async function objectPath(client: KubeClient, o: KubeObject): Promise<string> {
  const info = await client.resourceFor(o.apiVersion, o.kind);
  return resourcePath(info, o.metadata.namespace, o.metadata.name);
}

/**
 * Applies objects in order with server-side apply and our field manager. Objects that did not exist
 * before are recorded with the cleanup recorder (so the post step removes them if the run dies) and
 * returned, so a failure can remove exactly what this run created.
 */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  fieldManager: string,
  cleanup: CleanupRecorder,
  logger: Logger,
): Promise<KubeObject[]> {
  const created: KubeObject[] = [];
  for (const object of objects) {
    const existed = (await client.get(await objectPath(client, object))) !== undefined;
    if (!existed) {
      cleanup.created(objectKey(object));
      created.push(object);
    }
    await client.apply(object, fieldManager);
    logger.info(`${existed ? 'applied' : 'created'} ${objectKey(object)}`);
  }
  return created;
}

/**
 * Deletes objects (missing ones are fine) in reverse order and tells the cleanup recorder. A Deployment the
 * Role will not let go is scaled to 0; the rest are still removed, then its DeploymentLeftBehind is thrown.
 */
export async function removeObjects(client: KubeClient, objects: readonly KubeObject[], cleanup: CleanupRecorder, logger: Logger): Promise<void> {
  const left: DeploymentLeftBehind[] = [];
  for (const object of [...objects].reverse()) {
    let deleted: boolean;
    try {
      deleted =
        isDeployment(object) && object.metadata.namespace
          ? await deleteDeployment(client, object.metadata.namespace, object.metadata.name)
          : await client.delete(await objectPath(client, object));
    } catch (err) {
      if (!(err instanceof DeploymentLeftBehind)) throw err;
      left.push(err);
      continue;
    }
    cleanup.removed(objectKey(object));
    logger.info(`${deleted ? 'deleted' : 'already gone:'} ${objectKey(object)}`);
  }
  for (const extra of left.slice(1)) logger.error(extra.userMessage);
  if (left[0]) throw left[0];
}
