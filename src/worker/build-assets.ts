// Builds the Worker's static assets (wrangler.toml `[assets]`): copies what the Node server serves
// under /static — KERN UX's stylesheets and fonts, Swagger UI, verstetigt's own CSS and scripts —
// from the same folders (src/web/static.ts) into dist/worker-assets/static/…, so Workers assets
// answer the same paths. Run by `npm run build:worker-assets` (and before dev:worker, test:worker
// and deploy:worker). Usage: tsx src/worker/build-assets.ts [output folder]
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { STATIC_EXTENSIONS, staticRoots } from '../web/static.js';

/** The files below `dir` (recursively) whose ending is served under /static. */
function servedFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...servedFiles(path));
    else if (entry.isFile() && STATIC_EXTENSIONS.includes(extname(entry.name))) files.push(path);
  }
  return files;
}

/** Replaces `outDir` with the assets; returns how many files and bytes it holds. */
export function buildWorkerAssets(outDir: string): { files: number; bytes: number } {
  rmSync(outDir, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  for (const [prefix, root] of Object.entries(staticRoots())) {
    for (const file of servedFiles(root)) {
      const target = join(outDir, 'static', prefix, relative(root, file));
      mkdirSync(resolve(target, '..'), { recursive: true });
      cpSync(file, target);
      files += 1;
      bytes += statSync(file).size;
    }
  }
  return { files, bytes };
}

const outDir = resolve(process.argv[2] ?? 'dist/worker-assets');
const { files, bytes } = buildWorkerAssets(outDir);
process.stdout.write(`worker assets: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${relative(process.cwd(), outDir) || '.'}\n`);
