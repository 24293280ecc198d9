// Writes openapi/openapi.json from the route schemas (`npm run openapi`). The document is built
// from the embedded default configuration, so it does not depend on the environment.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from './config.js';
import { buildServer } from './server.js';

// Built as dist/src/openapi.js; run from source (tests) as src/openapi.ts.
export const OPENAPI_PATH = fileURLToPath(new URL(`${import.meta.url.includes('/dist/') ? '../..' : '..'}/openapi/openapi.json`, import.meta.url));

/** The OpenAPI document as committed: 2-space JSON with a trailing newline. */
export async function openapiText(): Promise<string> {
  const app = buildServer({ ...defaultConfig(), logLevel: 'silent' }, { startWorkers: false });
  try {
    await app.ready();
    return JSON.stringify(app.swagger(), null, 2) + '\n';
  } finally {
    await app.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_PATH, await openapiText());
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
}
