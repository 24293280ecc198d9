// The service's V8 flags (src/nodeFlags.ts) are on every command line that starts it: npm start,
// the container image and the golong-reward command. Tests and benchmarks start it with them too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the service runs with SERVICE_NODE_FLAGS wherever it is started', () => {
  it('npm start', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toBe(['node', ...SERVICE_NODE_FLAGS, 'dist/src/main.js'].join(' '));
  });
  it('the container image (Dockerfile CMD)', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile').split('\n').filter((l) => l.startsWith('CMD ')).pop() ?? '');
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/src/main.js']);
  });
  it('the golong-reward command (its #! line)', () => {
    expect(read('src/cli/main.ts').split('\n', 1)[0]).toBe(`#!/usr/bin/env -S ${['node', ...SERVICE_NODE_FLAGS].join(' ')}`);
  });
});
