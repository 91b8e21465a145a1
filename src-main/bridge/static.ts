import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer (`out/renderer`, from `electron-vite build`): found by walking up from this
 * module, so it works from the sources (tsx) and from the Electron bundle in out/main.
 */
export function rendererDir(): string | undefined {
  const env = process.env.EMS_RENDERER_DIR;
  if (env) return existsSync(join(env, 'index.html')) ? resolve(env) : undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const sibling = join(dir, 'renderer');
    if (existsSync(join(sibling, 'index.html')) && existsSync(join(dir, 'main'))) return sibling;
    dir = dirname(dir);
  }
  return undefined;
}

// The page may only talk to its own origin; no framing, no plugins. Matches the renderer's meta CSP.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>EMS Commissioner</title>
<body style="font:14px system-ui;margin:3em"><h1>EMS Commissioner</h1>
<p>The engine and its APIs run, but the user interface has not been built yet.</p>
<p>Run <code>npm run build</code> and reload this page.</p></body>`;

/** Serves the browser UI at `/` from `dir` (see rendererDir); the API routes keep their paths and JSON 404s. */
export async function serveRenderer(app: FastifyInstance, dir: string | undefined): Promise<void> {
  if (!dir) {
    app.get('/', async (_req, reply) => reply.status(503).type('text/html').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: 'index.html',
    decorateReply: false,
    setHeaders: (res, path) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (path.endsWith('.html')) {
        res.setHeader('Content-Security-Policy', CSP);
        res.setHeader('Cache-Control', 'no-cache');
      }
    },
  });
}
