// Deployment artefacts agree with the app: the Kubernetes manifests (parsed, and checked against
// the app's real settings, ports and paths), the Prometheus scrape setup, the Grafana dashboard's
// queries, the Dockerfile, and the committed OpenAPI document (regenerate with `npm run openapi`).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Admission } from '../src/admission.js';
import { defaultConfig, loadConfig, SETTINGS } from '../src/config.js';
import type { ScoringPool } from '../src/pool.js';
import { ServiceMetrics } from '../src/routes/metrics.js';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.js';
import { OPENAPI_PATH, openapiText } from '../src/openapi.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const config = defaultConfig();

/** Every document of every YAML file in a folder, parsed. */
function manifests(folder: string): Record<string, any>[] {
  const dir = new URL(`../${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => parseAllDocuments(readFileSync(new URL(f, dir), 'utf8')).map((d) => d.toJS() as Record<string, any>));
}

const k8s = manifests('deploy/kubernetes');
const ofKind = (kind: string) => k8s.filter((m) => m.kind === kind);
const deployment = ofKind('Deployment')[0]!;
const pod = deployment.spec.template;
const container = pod.spec.containers[0];
const env = new Map<string, any>(container.env.map((e: { name: string }) => [e.name, e]));
const envValue = (name: string): string | undefined => env.get(name)?.value;
const containerPort = (name: string): number => container.ports.find((p: { name: string }) => p.name === name)?.containerPort;
/** The configuration the pod runs with, read by the app's own loader (the Secret stands in as "from-secret"). */
const podConfig = (overrides: Record<string, string | undefined> = {}) => {
  const values: Record<string, string> = {};
  for (const [name, e] of env) values[name] = e.value ?? (e.valueFrom?.secretKeyRef ? 'from-secret' : '');
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete values[k]; else values[k] = v;
  return loadConfig({ env: values });
};

describe('deploy/kubernetes', () => {
  it('holds a Deployment, a Service, an HPA and a PodDisruptionBudget, all for the same pods', () => {
    expect(k8s.map((m) => m.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']);
    const labels = pod.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    expect(ofKind('Service')[0]!.spec.selector).toEqual(labels);
    expect(ofKind('PodDisruptionBudget')[0]!.spec.selector.matchLabels).toEqual(labels);
    const pdb = ofKind('PodDisruptionBudget')[0]!.spec;
    const hpa = ofKind('HorizontalPodAutoscaler')[0]!.spec;
    // The budget lets a drain proceed (some pod may go) without taking every replica.
    expect(pdb.maxUnavailable ?? hpa.minReplicas - pdb.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.maxUnavailable ?? 0).toBeLessThan(hpa.minReplicas);
    expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.metrics[0].resource.name).toBe('cpu');
  });

  it('every environment variable is a real setting, and the app accepts the configuration', () => {
    const known = new Set(SETTINGS.map((s) => s.env));
    for (const name of env.keys()) expect(known.has(name), name).toBe(true);
    const config = podConfig();
    expect(config.port).toBe(containerPort('http'));
    expect(config.metricsPort).toBe(containerPort('metrics'));
    expect(config.token).toBe('from-secret');
  });

  it('the token Secret is required: no optional flag, auth required, and the app refuses to start without it', () => {
    const ref = env.get('GOLONG_REWARD_TOKEN').valueFrom.secretKeyRef;
    expect(ref).toEqual({ name: 'golong-reward', key: 'token' }); // no `optional: true`
    expect(envValue('GOLONG_REWARD_AUTH')).toBe('required');
    expect(() => podConfig({ GOLONG_REWARD_TOKEN: undefined })).toThrow(/GOLONG_REWARD_AUTH=required but no token is set/);
    // The documented way to run without auth: drop the token entry and write "none".
    expect(podConfig({ GOLONG_REWARD_TOKEN: undefined, GOLONG_REWARD_AUTH: 'none' }).token).toBeUndefined();
  });

  it('probes hit the real open paths on the app port', () => {
    for (const [probe, path] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz'], ['startupProbe', '/readyz']] as const) {
      expect(container[probe].httpGet.path, probe).toBe(path);
      const port = container[probe].httpGet.port;
      expect(typeof port === 'number' ? port : containerPort(port), probe).toBe(config.port);
    }
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('runs under the restricted Pod Security Standard, as the image\'s non-root user', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // The node image's `node` user is uid 1000 (the Dockerfile's USER).
    expect(read('Dockerfile')).toMatch(/^USER node$/m);
    expect(pod.spec.securityContext.runAsUser).toBe(1000);
  });

  it('gives in-flight batches longer than the drain timeout', () => {
    const drainMs = Number(envValue('GOLONG_REWARD_DRAIN_TIMEOUT_MS') ?? config.drainTimeoutMs);
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs);
  });

  it('the Service exposes the app and metrics ports; the scrape annotations and ServiceMonitor point at the metrics port', () => {
    const service = ofKind('Service')[0]!;
    const ports = new Map<string, any>(service.spec.ports.map((p: { name: string }) => [p.name, p]));
    for (const name of ['http', 'metrics']) {
      const target = ports.get(name).targetPort;
      expect(typeof target === 'number' ? target : containerPort(target), name).toBe(containerPort(name));
    }
    const annotations = pod.metadata.annotations;
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(Number(annotations['prometheus.io/port'])).toBe(containerPort('metrics'));
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    const [monitor] = manifests('deploy/prometheus').filter((m) => m.kind === 'ServiceMonitor');
    expect(monitor!.spec.selector.matchLabels).toEqual(service.metadata.labels);
    expect(monitor!.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    expect(ports.has(monitor!.spec.endpoints[0].port)).toBe(true);
  });
});

describe('deploy/grafana dashboard', () => {
  const dashboard = JSON.parse(read('deploy/grafana/golong-reward-dashboard.json')) as { panels: { title: string; targets: { expr: string }[] }[] };

  it('queries only metrics the service exposes, and draws the mean reward per reward type', async () => {
    const metrics = new ServiceMetrics(
      { stats: () => ({ threads: 2, busyThreads: 1, queuedTasks: 0, utilization: 0.5 }) } as unknown as ScoringPool,
      new Admission(1, 1),
    );
    metrics.recordCounts(['F1_Score'], [''], [1]);
    metrics.recordCounts([''], ['bad_item']);
    metrics.requests.inc({ route: '/score', method: 'POST', status: '200' });
    metrics.requestDuration.observe({ route: '/score', method: 'POST' }, 0.1);
    metrics.batchDuration.observe(0.1);
    metrics.timeouts.inc(0);
    metrics.workersLost.inc({ reason: 'timeout' });
    const exposed = new Set([...(await metrics.registry.metrics()).matchAll(/^([a-z_]+)(?:\{| )/gm)].map((m) => m[1]));
    metrics.stop();
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b((?:golong_reward|process)_[a-z_]+)\b/g)].map((m) => m[1]!)));
    expect(used.length).toBeGreaterThan(10);
    for (const name of new Set(used)) expect(exposed.has(name), name).toBe(true);
    const mean = dashboard.panels.find((p) => /mean reward/i.test(p.title));
    expect(mean?.targets[0]!.expr).toMatch(/rate\(golong_reward_item_score_sum.*\/.*rate\(golong_reward_item_score_count/);
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
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['node', ...SERVICE_NODE_FLAGS, 'dist/src/main.js']).replaceAll(',', ', ')}`);
  });
});

describe('openapi/openapi.json', () => {
  it('matches the route schemas (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(await openapiText());
  });
});
