// The OpenAPI document (what Swagger UI at /docs shows) is real: every request example runs against
// the real built service and answers what the document says; every response has a description and
// every route its error responses; ground truths are any JSON; no generated placeholders.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { VERL_ROW_EXAMPLES } from '../rewards/verlExamples.js';
import { VERL_DATA_SOURCES, verlBranch, verlRouteOf } from '../rewards/verlRouting.js';
import { defaultConfig, SETTINGS } from '../src/config.js';
import { openapiText } from '../src/openapi.js';
import { post, startService, type Service } from './helpers/service.js';

interface Operation {
  requestBody?: { content: Record<string, { schema: Record<string, any>; examples?: Record<string, { summary: string; value: unknown }> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, any>; examples?: Record<string, { value: unknown }> }>; headers?: Record<string, unknown> }>;
  security?: unknown[];
}
type Doc = { paths: Record<string, Record<string, Operation>> };

const TOKEN = 'docs-token-91b';
let svc: Service;
let doc: Doc;
let text: string;

beforeAll(async () => {
  svc = await startService({ env: { GOLONG_REWARD_WORKERS: '1', GOLONG_REWARD_TOKEN: TOKEN } });
  await svc.waitReady();
  // Served without the token: the documentation holds no data.
  const res = await fetch(`${svc.url}/openapi.json`);
  expect(res.status).toBe(200);
  text = await res.text();
  doc = JSON.parse(text) as Doc;
});
afterAll(() => svc?.stop());

const operations = (): [string, string, Operation][] => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, Operation] => [path, method, op]));

describe('the served document', () => {
  it('is the committed one, and Swagger UI reads the same', async () => {
    expect(JSON.parse(await openapiText())).toEqual(doc);
    const ui = await fetch(`${svc.url}/docs/json`);
    expect(ui.status).toBe(200);
    expect(await ui.json()).toEqual(doc);
  });

  it('describes every response, and lists the error responses each route can give', () => {
    for (const [path, method, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        expect(response.description.length).toBeGreaterThan(10);
      }
      const statuses = Object.keys(op.responses);
      if (path === '/') expect(statuses, path).toEqual(['302']); // the debugger's redirect, open like the probes
      else if (method === 'post') expect(statuses, path).toEqual(expect.arrayContaining(['200', '400', '401', '413', '415', '503']));
      else if (op.security === undefined) expect(statuses, path).toEqual(expect.arrayContaining(['200', '401', '503'])); // token-protected GETs
      else expect(statuses, path).toEqual(expect.arrayContaining(['200', '503']));
      if (op.responses['503'] && path !== '/readyz' && path !== '/healthz') expect(op.responses['503']!.headers).toHaveProperty('retry-after');
    }
    expect(Object.keys(doc.paths['/openrlhf/reward']!.post!.responses)).toContain('422');
  });

  it('has no generated placeholders: no unsafe-integer bounds, an example on every map, ground truths as any JSON', () => {
    expect(text).not.toContain('9007199254740991');
    const maps: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${at}/${i}`));
      else if (node !== null && typeof node === 'object') {
        const schema = node as Record<string, unknown>;
        if (typeof schema.additionalProperties === 'object' && !('example' in schema)) maps.push(at);
        for (const [k, v] of Object.entries(schema)) if (k !== 'example' && k !== 'examples') visit(v, `${at}/${k}`);
      }
    };
    visit(doc, '');
    expect(maps).toEqual([]);
    const forms = doc.paths['/score']!.post!.requestBody!.content['application/json']!.schema.properties.items.items.anyOf as Record<string, any>[];
    expect(forms.map((f) => f.title)).toEqual(['verl row', 'native item']);
    for (const field of [forms[0]!.properties.ground_truth, forms[0]!.properties.extra_info, forms[1]!.properties.reference]) {
      expect(field.type).toBeUndefined();
      expect(field.nullable).toBe(true);
      expect(field.anyOf.map((t: { type: string }) => t.type).sort()).toEqual(['array', 'boolean', 'number', 'object', 'string']);
      expect(field.example).toBeDefined();
    }
  });

  it('the /score examples hold a verl row of every kind the router has, and native items', () => {
    const examples = doc.paths['/score']!.post!.requestBody!.content['application/json']!.examples!;
    const items = Object.values(examples).flatMap((e) => (e.value as { items: Record<string, unknown>[] }).items);
    const kinds = new Set(items.filter((i) => typeof i.data_source === 'string').map((i) => verlBranch(i.data_source as string)).filter((b) => b !== undefined));
    const another = (r: (typeof VERL_DATA_SOURCES)[number]) => (r.match === 'exact' ? r.data_source : r.match === 'prefix' ? `${r.data_source}_x` : `x_${r.data_source}`);
    expect([...kinds].sort()).toEqual([...new Set(VERL_DATA_SOURCES.map((r) => verlBranch(another(r))))].sort());
    expect(items.some((i) => 'task' in i)).toBe(true);
    expect(Object.values(examples).some((e) => 'advantages' in (e.value as object))).toBe(true);
  });
});

describe('every example runs as documented', () => {
  it.each([
    ['/score', 'post'],
    ['/advantages', 'post'],
    ['/openrlhf/reward', 'post'],
    ['/check', 'post'],
  ])('%s: each request example answers 200 with its documented response', async (path, method) => {
    const op = doc.paths[path]![method]!;
    const requests = op.requestBody!.content['application/json']!.examples!;
    const responses = op.responses['200']!.content!['application/json']!.examples!;
    expect(Object.keys(requests).length).toBeGreaterThan(0);
    expect(Object.keys(responses)).toEqual(Object.keys(requests));
    for (const [name, example] of Object.entries(requests)) {
      const res = await post(`${svc.url}${path}`, example.value, { token: TOKEN });
      expect(res.status, `${path} ${name}: ${res.text.slice(0, 300)}`).toBe(200);
      expect(res.json, `${path} ${name}`).toEqual(responses[name]!.value);
    }
  });

  it('the first /score example, which "Try it out" starts from, scores every item', async () => {
    const first = Object.values(doc.paths['/score']!.post!.requestBody!.content['application/json']!.examples!)[0]!;
    const res = await post(`${svc.url}/score`, first.value, { token: TOKEN });
    expect(res.json.summary.errors).toBe(0);
    expect(res.json.summary.items).toBeGreaterThanOrEqual(9);
  });
});

describe('GET /tasks: the ground truth each data source expects', () => {
  it('every routed data source has its ground_truth and extra_info shape and an example row that scores 1', async () => {
    const tasks = (await (await fetch(`${svc.url}/tasks`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      data_sources: { data_source: string; ground_truth: string; extra_info: string; example: Record<string, unknown> }[];
    };
    expect(tasks.data_sources.map((d) => d.data_source)).toEqual(VERL_DATA_SOURCES.map((r) => r.data_source));
    for (const [i, entry] of tasks.data_sources.entries()) {
      expect(entry.ground_truth, entry.data_source).toBe(VERL_DATA_SOURCES[i]!.ground_truth);
      expect(entry.ground_truth.length).toBeGreaterThan(5);
      expect(entry.extra_info.length).toBeGreaterThan(3);
      expect(entry.example, entry.data_source).toEqual(VERL_ROW_EXAMPLES[entry.data_source]);
      // The example takes this route's branch, and the shape it documents.
      const row = VERL_DATA_SOURCES[i]!;
      const another = row.match === 'exact' ? row.data_source : row.match === 'prefix' ? `${row.data_source}_x` : `x_${row.data_source}`;
      expect(verlBranch(entry.example.data_source as string)).toBe(verlBranch(another));
      expect(verlRouteOf(entry.example.data_source as string)!.ground_truth).toBe(row.ground_truth);
      // Its extra_info is read only where the table says so.
      if (entry.extra_info === 'not read') expect(scoreItem({ ...entry.example, extra_info: null }).score, entry.data_source).toBe(1);
    }
    const res = await post(`${svc.url}/score`, { items: tasks.data_sources.map((d) => d.example) }, { token: TOKEN });
    expect(res.json.results.map((r: { score: number }) => r.score)).toEqual(tasks.data_sources.map(() => 1));
  });
});

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('its ground-truth table is the routing table', () => {
    const section = readme.slice(readme.indexOf('### The ground truth each data source expects'));
    for (const row of VERL_DATA_SOURCES) {
      const shape = row.ground_truth.replace(/ \(a list: its last element is used\)$/, '').replace(/\|/g, '\\|');
      const name = row.match === 'exact' ? `\`${row.data_source}\`` : `${row.match === 'prefix' ? 'starting with' : 'containing'} \`${row.data_source}\``;
      expect(section, row.data_source).toContain(`| ${name} | \`${shape}\``);
    }
  });

  it('its configuration table lists every setting with its flag and meaning', () => {
    for (const s of SETTINGS) {
      expect(readme, s.key).toContain(`| ${s.env ? `\`${s.env}\`` : '—'} | ${s.flag ? `\`--${s.flag}\`` : '—'} | `);
      expect(readme, s.key).toContain(`| ${s.doc} |`);
    }
  });

  it('gives the Secret the manifests need and a stop timeout longer than the drain', () => {
    expect(readme).toContain('kubectl create secret generic golong-reward --from-literal=token=');
    expect(readme).toMatch(/docker stop --time 45\b/);
    expect(45_000).toBeGreaterThan(defaultConfig().drainTimeoutMs);
  });
});
