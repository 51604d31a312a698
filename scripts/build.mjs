// Bundles the three entry points with ncc into dist/ (committed: an action runs from dist/).
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeValidator } from './gen-schema-validator.mjs';

const entries = [
  ['src/main.ts', 'dist'],
  ['src/post.ts', 'dist/post'],
  ['src/cli.ts', 'dist/cli'],
];
// The schema validator is compiled ahead of time; regenerate it so the bundle never holds a stale one.
if (writeValidator()) console.log('regenerated src/config/generated/validate-schema.js');
rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--target', 'es2022', '--license', 'licenses.txt', '--quiet'],
    { stdio: 'inherit' },
  );
}
// Each bundle is ESM; Node needs a package.json beside it saying so.
writeFileSync('dist/package.json', '{\n  "type": "module"\n}\n');
for (const dir of ['dist/post', 'dist/cli']) writeFileSync(path.join(dir, 'package.json'), '{\n  "type": "module"\n}\n');
const cli = 'dist/cli/index.js';
execFileSync('chmod', ['+x', cli]);
const list = (d) => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? list(path.join(d, f)) : [path.join(d, f)]));
for (const f of list('dist')) if (f.endsWith('.map')) rmSync(f);

