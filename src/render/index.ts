import type { BuiltImage } from '../build/index.js';
import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { notAvailable } from '../errors.js';

/** A parsed Kubernetes object; objects travel between stages as data, never as YAML text. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Renders the model's Kubernetes objects through Helm (or the user's own manifests). */
export async function renderObjects(_config: Config, _image: BuiltImage, _ctx: StageContext): Promise<KubeObject[]> {
  throw notAvailable('render');
}
