import type { Config } from '../config/types.js';
import { notAvailable } from '../errors.js';
import type { StageContext } from '../commands/context.js';

export { parseImageRef, formatImageRef, pinnedByDigest, repositoryOf, type ImageRef } from './image-ref.js';

/** Result of the build stage: the pushed image, by digest. */
export interface BuiltImage {
  reference: string;
  digest: string;
}

/** Builds and pushes the model-server image (issue: build and scan). */
export async function buildImage(_config: Config, _ctx: StageContext): Promise<BuiltImage> {
  throw notAvailable('build');
}
