// Bundled by bench/render.mjs (with ncc, as dist/ is) so the benchmark runs the command in-process.
export { runEntry } from '../src/commands/entry.js';
export { DEFAULT_INPUTS } from '../src/config/inputs.js';
export { loadConfig } from '../src/config/load.js';
export { chartDefaults, chartValues } from '../src/render/values.js';
export { chartPath } from '../src/render/index.js';
export { MemoryLogger } from '../src/log/logger.js';
