import { copyFile, cp, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { assertTreeContained, containedFile } from '../config/contained.js';
import type { Config } from '../config/types.js';
import { userError } from '../errors.js';
import { assetRoot } from '../tools/assets.js';
import { dockerignoreFilter } from './dockerignore.js';

export interface BuildContext {
  dockerfile: string;
  context: string;
  /** Build args the template needs on top of the user's. */
  buildArgs: Record<string, string>;
}

/**
 * The user's own Dockerfile and context as they are; or, for "bring only your model", a fresh folder with
 * model-canary's template and the model, nothing else:
 *
 *   Dockerfile                     templates/docker/ (one for every template)
 *   requirements.txt               templates/docker/<template>/
 *   tools/                         templates/docker/tools/ (the build stage's scripts)
 *   server/serve.py, model_server/ templates/docker/server/ (the one model server, for every template; not
 *                                  its tests)
 *   model/<artifact>               model.artifact, and model/model-card.json when model.card is set
 *   wheels/                        the *.whl files of image.wheelhouse, or empty
 */
export async function prepareBuildContext(config: Pick<Config, 'image' | 'model' | 'run'>): Promise<BuildContext> {
  const { image, model } = config;
  const workspace = config.run.workspace;
  if (image.dockerfile) {
    containedFile(workspace, image.dockerfile, 'image.dockerfile');
    // Only what Docker would send is checked: a local .venv's links to the system Python are left out by
    // .dockerignore, as they are from the build.
    assertTreeContained(workspace, image.context, 'image.context', {
      skip: dockerignoreFilter(image.context, image.dockerfile),
      fix: 'Replace the symlink with the file itself, keep what it points to inside the repository, or leave it out of the build in .dockerignore (a local virtualenv such as .venv/ is the usual case).',
    });
    return { dockerfile: image.dockerfile, context: image.context, buildArgs: {} };
  }
  const template = image.template ?? 'sklearn';
  const artifact = model.artifact;
  if (!artifact) throw new Error('internal: a template build without model.artifact passed validation');
  if (!image.buildArgs['BASE_IMAGE']) {
    throw userError(
      `The ${template} template needs a base image: image.buildArgs has no BASE_IMAGE.`,
      `Set image.buildArgs.BASE_IMAGE to an image with python3 and numpy, ${template === 'onnx' ? 'onnxruntime' : 'scikit-learn, joblib'}, fastapi and uvicorn, or with pip to install what it lacks (see templates/docker/README.md).`,
    );
  }
  const templates = path.join(assetRoot(), 'templates', 'docker');
  const dir = await mkdtemp(path.join(config.run.tempDir, `model-canary-build-${model.name}-`));
  await copyFile(path.join(templates, 'Dockerfile'), path.join(dir, 'Dockerfile'));
  await copyFile(path.join(templates, template, 'requirements.txt'), path.join(dir, 'requirements.txt'));
  await cp(path.join(templates, 'tools'), path.join(dir, 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'server'));
  await copyFile(path.join(templates, 'server', 'serve.py'), path.join(dir, 'server', 'serve.py'));
  await cp(path.join(templates, 'server', 'model_server'), path.join(dir, 'server', 'model_server'), {
    recursive: true,
    filter: (src) => !/(^|[\\/])__pycache__([\\/]|$)|\.pyc$/.test(src),
  });
  await mkdir(path.join(dir, 'model'));
  await copyFile(containedFile(workspace, artifact, 'model.artifact'), path.join(dir, 'model', path.basename(artifact)));
  if (model.card) await copyFile(containedFile(workspace, model.card, 'model.card'), path.join(dir, 'model', 'model-card.json'));
  await mkdir(path.join(dir, 'wheels'));
  if (image.wheelhouse) {
    containedFile(workspace, image.wheelhouse, 'image.wheelhouse');
    // Regular files only: a symlinked wheel is not copied.
    const wheels = (await readdir(image.wheelhouse, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.whl'));
    for (const wheel of wheels) await copyFile(path.join(image.wheelhouse, wheel.name), path.join(dir, 'wheels', wheel.name));
  }
  const buildArgs: Record<string, string> = {
    MODEL_TEMPLATE: template,
    MODEL_FILE: path.basename(artifact),
    MODEL_NAME: model.name,
    MODEL_VERSION: model.version,
  };
  return { dockerfile: path.join(dir, 'Dockerfile'), context: dir, buildArgs };
}
