// Bundles the three entry points with ncc into dist/ (committed: an action runs from dist/).
//
// The action's two bundles (main and post) are CommonJS: GitHub starts them as `node dist/index.js` at
// every step, and Node starts a CommonJS file ~10 ms sooner than the same bundle as an ES module (the ESM
// loader is not set up at all), which matters for a step that should take little longer than Node itself
// (bench/cold-start.mjs). The sources stay ES modules; ncc turns them into CommonJS, import.meta.url
// included. The CLI bundle stays an ES module. Dynamic import()s become chunk files beside each bundle.
import { createRequire } from 'node:module';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeValidator } from './gen-schema-validator.mjs';
import { writeTypes } from './gen-schema-types.mjs';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');

/** [entry, output folder, bundle format] */
const entries = [
  ['src/main.ts', 'dist', 'commonjs'],
  ['src/post.ts', 'dist/post', 'commonjs'],
  ['src/cli.ts', 'dist/cli', 'module'],
];

// The schema validator is compiled ahead of time; regenerate it so the bundle never holds a stale one.
if (writeValidator()) console.log('regenerated src/config/generated/validate-schema.js');
await writeTypes();
rmSync('dist', { recursive: true, force: true });
for (const [entry, out, type] of entries) {
  const { code, assets } = await ncc(path.resolve(entry), {
    esm: type === 'module',
    target: 'es2022',
    license: 'licenses.txt',
    sourceMap: false,
    quiet: true,
  }).catch((err) => {
    // Just the message (type errors and the like), not a stack trace through ncc's minified code.
    console.error(`ncc could not bundle ${entry}:\n${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'index.js'), code, { mode: code.startsWith('#!') ? 0o755 : 0o644 });
  for (const [name, asset] of Object.entries(assets)) {
    const file = path.join(out, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, asset.source, { mode: asset.permissions });
  }
  // The repository's package.json says "type": "module"; each bundle folder says what its files are.
  writeFileSync(path.join(out, 'package.json'), `{\n  "type": "${type}"\n}\n`);
}
chmodSync('dist/cli/index.js', 0o755);
const list = (d) => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? list(path.join(d, f)) : [path.join(d, f)]));
for (const f of list('dist')) if (f.endsWith('.map')) rmSync(f);
