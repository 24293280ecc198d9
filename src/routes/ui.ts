// The reward debugger page: GET / redirects to /ui/, which serves the static page built from web/
// by `npm run build` (dist/ui). Asset names carry a content hash, so they are cached for a year;
// index.html is revalidated on every load. The page loads no asset from elsewhere (air-gapped
// clusters), which the Content-Security-Policy also enforces. No token is needed for these files:
// they carry no data, and the page asks for the token before its first data call.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** dist/ui, from the built server (dist/src/routes) and from the sources (src/routes, tests). */
export const UI_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../ui/' : '../../dist/ui/', import.meta.url));

export const UI_PREFIX = '/ui/';

export function isUiPath(path: string): boolean {
  return path === '/' || path === '/ui' || path.startsWith(UI_PREFIX);
}

const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'", // hyparquet's snappy decoder is WebAssembly; JS eval stays forbidden
  "style-src 'self' 'unsafe-inline'", // the explanation styles and a few style attributes (legend swatches, table columns)
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/',
    {
      schema: {
        summary: 'The reward debugger page',
        description: 'Redirects to /ui/, the reward debugger (playground, file view, live view). Open without a token; the page asks for it.',
        tags: ['operations'],
        security: [],
        response: { 302: { description: 'Redirect to /ui/.', type: 'null' } },
      },
    },
    async (_request, reply) => reply.redirect(UI_PREFIX, 302),
  );

  if (!existsSync(`${UI_DIR}index.html`)) {
    // Running from sources without a build: say so instead of a bare 404.
    app.get('/ui/*', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(404).type('text/plain; charset=utf-8').send(`the reward debugger is not built (${UI_DIR}index.html is missing); run npm run build`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: UI_DIR,
    prefix: UI_PREFIX,
    // The page itself is served by the two routes below: @fastify/static 10 answers 404 to a
    // directory index when preCompressed is on and the browser accepts gzip or brotli.
    index: false,
    preCompressed: true,
    cacheControl: false,
    etag: true,
    lastModified: false,
    setHeaders(reply, path) {
      const html = /\.html(\.(br|gz))?$/.test(path);
      reply.header('cache-control', html ? 'no-cache' : 'public, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      if (html) {
        reply.header('content-security-policy', CSP);
        reply.header('referrer-policy', 'no-referrer');
      }
    },
  });
  app.get('/ui', { schema: { hide: true } }, async (_request, reply) => reply.redirect(UI_PREFIX, 301));
  app.get(UI_PREFIX, { schema: { hide: true } }, async (_request, reply) => reply.sendFile('index.html'));
}
