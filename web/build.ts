// `npm run build` step for the reward debugger: bundles web/src with esbuild into dist/ui with
// content-hashed file names (served with year-long cache headers), writes index.html pointing at
// them, and gzip/brotli copies that @fastify/static serves to browsers that accept them.
// Everything the page needs is in dist/ui: no CDN, no web fonts, no script from elsewhere.
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'dist/ui');

export async function buildUi(): Promise<{ files: string[] }> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    entryPoints: { app: join(ROOT, 'web/src/main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    outdir: OUT,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint !== undefined && o.entryPoint.endsWith('web/src/main.ts'));
  if (!entry) throw new Error('esbuild produced no entry for web/src/main.ts');
  const script = basename(entry[0]);
  const css = entry[1].cssBundle ? basename(entry[1].cssBundle) : undefined;
  const template = readFileSync(join(ROOT, 'web/index.html'), 'utf8');
  const html = template
    .replace('<!--css-->', css ? `<link rel="stylesheet" href="./${css}">` : '')
    .replace('<!--script-->', `<script type="module" src="./${script}"></script>`);
  writeFileSync(join(OUT, 'index.html'), html);

  const files = readdirSync(OUT);
  for (const file of files) {
    if (!/\.(js|css|html)$/.test(file)) continue;
    const body = readFileSync(join(OUT, file));
    writeFileSync(join(OUT, `${file}.gz`), gzipSync(body, { level: 9 }));
    writeFileSync(join(OUT, `${file}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  return { files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildUi();
