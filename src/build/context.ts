import { copyFile, cp, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { assetRoot } from '../tools/assets.js';

export interface BuildContext {
  dockerfile: string;
  context: string;
  /** Build args the template needs on top of the user's. */
  buildArgs: Record<string, string>;
}

/**
 * The user's own Dockerfile and context as they are; or, for "bring only your model", a fresh folder
 * with model-canary's template (Dockerfile and server) and the model artifact, nothing else.
 */
export async function prepareBuildContext(config: Config): Promise<BuildContext> {
  const { image, model } = config;
  if (image.dockerfile) return { dockerfile: image.dockerfile, context: image.context, buildArgs: {} };
  const template = image.template ?? 'sklearn';
  const artifact = model.artifact;
  if (!artifact) throw new Error('internal: a template build without model.artifact passed validation');
  const dir = await mkdtemp(path.join(config.run.tempDir, `model-canary-build-${model.name}-`));
  await cp(path.join(assetRoot(), 'templates', 'docker', template), dir, { recursive: true });
  await copyFile(artifact, path.join(dir, path.basename(artifact)));
  const buildArgs: Record<string, string> = { MODEL_FILE: path.basename(artifact), MODEL_NAME: model.name };
  if (model.card) {
    await copyFile(model.card, path.join(dir, 'model-card.json'));
  }
  return { dockerfile: path.join(dir, 'Dockerfile'), context: dir, buildArgs };
}
