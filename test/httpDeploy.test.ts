// Deployment artefacts agree with the app: Kubernetes ports and probe paths, the Dockerfile,
// and the committed OpenAPI document (regenerate with `npm run openapi`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { OPENAPI_PATH, openapiText } from '../src/openapi.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const config = defaultConfig();

/** `key: value` pairs of a simple YAML file, in order, with their indentation. */
function yamlPairs(text: string): { indent: number; key: string; value: string }[] {
  const out: { indent: number; key: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\s*)(?:- )?([A-Za-z][\w.-]*):\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) out.push({ indent: m[1]!.length, key: m[2]!, value: m[3]!.replace(/^"(.*)"$/, '$1') });
  }
  return out;
}

/** Values of `key` in the block that follows each `parent:` line. */
function under(pairs: ReturnType<typeof yamlPairs>, parent: string, key: string): string[] {
  const found: string[] = [];
  pairs.forEach((p, i) => {
    if (p.key !== parent) return;
    for (const q of pairs.slice(i + 1)) {
      if (q.indent <= p.indent) break;
      if (q.key === key) found.push(q.value);
    }
  });
  return found;
}

describe('deploy/kubernetes', () => {
  const deployment = yamlPairs(read('deploy/kubernetes/deployment.yaml'));
  const service = yamlPairs(read('deploy/kubernetes/service.yaml'));
  const hpa = yamlPairs(read('deploy/kubernetes/hpa.yaml'));
  const value = (pairs: ReturnType<typeof yamlPairs>, key: string) => pairs.filter((p) => p.key === key).map((p) => p.value);

  it('the container listens on the app port and the probes hit the real paths', () => {
    expect(value(deployment, 'containerPort')).toEqual([String(config.port)]);
    expect(under(deployment, 'livenessProbe', 'path')).toEqual(['/healthz']);
    expect(under(deployment, 'readinessProbe', 'path')).toEqual(['/readyz']);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      for (const port of under(deployment, probe, 'port')) expect([String(config.port), 'http']).toContain(port);
    }
    const env = value(deployment, 'name');
    expect(env).toContain('PORT');
    expect(under(deployment, 'requests', 'cpu')).toHaveLength(1);
    expect(under(deployment, 'limits', 'memory')).toHaveLength(1);
  });

  it('gives in-flight batches longer than the drain timeout', () => {
    const grace = Number(value(deployment, 'terminationGracePeriodSeconds')[0]);
    const drainEnv = deployment.findIndex((p) => p.value === 'GOLONG_REWARD_DRAIN_TIMEOUT_MS');
    const drainMs = drainEnv >= 0 ? Number(deployment[drainEnv + 1]!.value) : config.drainTimeoutMs;
    expect(grace * 1000).toBeGreaterThan(drainMs);
  });

  it('the Service forwards to the app port and the HPA scales the Deployment on CPU', () => {
    expect(value(service, 'targetPort')).toEqual([String(config.port)]);
    const name = value(deployment, 'name')[0];
    expect(under(hpa, 'scaleTargetRef', 'name')).toEqual([name]);
    expect(under(hpa, 'resource', 'name')).toEqual(['cpu']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('is multi-stage, production-only, non-root, health-checked on /healthz, exposing the app port', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/^USER (?!root)\S+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*[\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${config.port}$`, 'm'));
    expect(dockerfile).toMatch(/CMD \["node", "dist\/src\/main\.js"\]/);
  });
});

describe('openapi/openapi.json', () => {
  it('matches the route schemas (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(await openapiText());
  });
});
