import type { BuiltImage } from '../build/index.js';
import type { StageContext } from '../commands/context.js';
import type { Config } from '../config/types.js';
import { notAvailable } from '../errors.js';

export interface ScanVerdict {
  passed: boolean;
  sarifPath: string;
}

/** Scans the built image with Trivy and applies the severity gate. */
export async function scanImage(_config: Config, _image: BuiltImage, _ctx: StageContext): Promise<ScanVerdict> {
  throw notAvailable('scan');
}
