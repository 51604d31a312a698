import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError, userError } from '../errors.js';
import { resolveTool } from '../tools/resolve.js';
import type { BuildPlan } from './argv.js';
import { prepareBuildContext } from './context.js';
import { detectBuilder, pushImage, registryLogin, runBuild } from './docker.js';
import { evaluateConfigGuard, type ConfigGuardFinding } from './config-guard.js';
import { evaluateGuards, type GuardFinding } from './guards.js';
import { parseImageRef, pinnedByDigest } from './image-ref.js';
import { readImageFacts } from './inspect.js';
import { imageLabels, imageTags } from './labels.js';

export { parseImageRef, formatImageRef, pinnedByDigest, repositoryOf, type ImageRef } from './image-ref.js';

/** Result of the build stage: the pushed image, by digest. */
export interface BuiltImage {
  /** repository@digest when pushed; repository:tag when push is off. */
  reference: string;
  digest: string;
  tags?: string[];
  builder?: 'buildx' | 'legacy';
  sizeBytes?: number;
  findings?: (GuardFinding | ConfigGuardFinding)[];
}

/** Builds the model-server image, checks its contents, pushes it and returns it by digest. */
export async function buildImage(config: Config, ctx: StageContext): Promise<BuiltImage> {
  const { logger } = ctx.host;
  if (!config.image.tag) {
    throw userError('There is no image tag: this run has no commit SHA.', 'Give the image-tag input (--image-tag on the CLI) or image.tag in the model file.');
  }
  const docker = (await resolveTool('docker', ctx.tools)).path;
  const ref = parseImageRef(config.image.repository);
  if (config.run.registryAuth && ref.registry) {
    await registryLogin(ctx.exec, docker, ref.registry, config.run.registryAuth);
  }
  const builder = await detectBuilder(ctx.exec, docker);
  const source = await prepareBuildContext(config);
  const tags = imageTags(config).map((t) => `${config.image.repository}:${t}`);
  const plan: BuildPlan = {
    builder,
    dockerfile: source.dockerfile,
    context: source.context,
    tags,
    labels: imageLabels(config, new Date()),
    buildArgs: { ...source.buildArgs, ...config.image.buildArgs },
  };
  if (builder === 'buildx' && config.image.push) plan.cacheFrom = tags[0] as string;
  logger.info(`Building ${tags[0]} with ${builder === 'buildx' ? 'docker buildx' : 'the legacy docker builder (no buildx plugin)'}`);
  await runBuild(ctx.exec, docker, plan, logger);

  const facts = await readImageFacts(ctx.exec, docker, tags[0] as string, config.run.tempDir, ctx.tools.cacheDir);
  const findings = [...evaluateGuards(facts, config.image.guards), ...evaluateConfigGuard(facts.config, config.image.guards.secretFiles)];
  for (const f of findings) (f.level === 'error' ? logger.error : logger.warn).call(logger, `image guard ${f.guard}: ${f.message}`);
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length > 0) {
    throw new ModelCanaryError(
      'model',
      `The image failed ${errors.length} content guard(s), so it was not pushed:\n${errors.map((f) => `  - ${f.guard}: ${f.message}`).join('\n')}`,
      'Fix the Dockerfile or .dockerignore as each line says, or set the guard to warn or off in image.guards.',
    );
  }
  const built: BuiltImage = { reference: tags[0] as string, digest: '', tags, builder, sizeBytes: facts.sizeBytes, findings };
  if (config.image.push) {
    built.digest = await pushImage(ctx.exec, docker, tags, config.image.repository);
    built.reference = pinnedByDigest(ref, built.digest);
  }
  return built;
}
