// The pages' assets, served by the app itself from installed npm packages and src/web/assets:
// KERN UX CSS and fonts, Swagger UI for /docs, verstetigt's own CSS and scripts. Nothing comes
// from another origin. Only the listed folders are served; a path leaving its folder is 404.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

let roots: Readonly<Record<string, string>> | undefined;

/**
 * URL prefix under /static → folder on disk, resolved on first use (so importing the app never
 * touches the file system; the Worker build serves no pages).
 */
export function staticRoots(): Readonly<Record<string, string>> {
  if (!roots) {
    const require = createRequire(import.meta.url);
    const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
    roots = {
      kern: join(packageDir('@kern-ux/native'), 'dist'),
      'swagger-ui': packageDir('swagger-ui-dist'),
      app: appAssets(),
    };
  }
  return roots;
}

/**
 * src/web/assets: beside this module when run from source (tsx, vitest), or from the bundle in
 * dist/ (npm start), which esbuild writes without the assets.
 */
function appAssets(): string {
  const candidates = ['./assets/', '../src/web/assets/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** The file name endings served under /static (the Worker's asset build copies exactly these). */
export const STATIC_EXTENSIONS: readonly string[] = Object.keys(TYPES);

/** Answers GET /static/<root>/<path> from the roots above, or undefined for anything else. */
export async function serveStatic(c: Context, path: string): Promise<Response | undefined> {
  const match = /^\/static\/([a-z-]+)\/(.+)$/.exec(path);
  if (!match) return undefined;
  const root = staticRoots()[match[1]!];
  const type = TYPES[extname(match[2]!)];
  if (!root || !type) return undefined;
  const file = resolve(root, match[2]!);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    const body = await readFile(file);
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' });
  } catch {
    return undefined;
  }
}
