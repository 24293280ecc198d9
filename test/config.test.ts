// Configuration: the default worker count follows the container's CPU limit (cgroup v2 cpu.max,
// v1 cfs quota; fake cgroup directories here), auth modes, strict booleans, the docs and metrics
// settings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { cgroupCpuLimit, defaultWorkerCount } from '../src/cpuLimit.js';
import { effectiveConfig } from '../src/main.js';
import { tempDirs } from './helpers/tempDir.js';

const tempDir = tempDirs('golong-cgroup-');

/** A fake /sys/fs/cgroup: `files` maps paths under it to contents. */
function fakeCgroup(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('CPU limit from the cgroup', () => {
  it('cgroup v2: cpu.max of the container (namespaced: the group is the mount root)', () => {
    const root = fakeCgroup({ 'cpu.max': '200000 100000\n' });
    expect(cgroupCpuLimit({ procSelfCgroup: '0::/\n', root })).toBe(2);
    expect(defaultWorkerCount({ procSelfCgroup: '0::/\n', root }, 64)).toEqual({ workers: 2, source: 'cgroup CPU quota of 2 CPUs' });
  });

  it('cgroup v2: the smallest quota along the group and its ancestors; "max" is no limit', () => {
    const root = fakeCgroup({
      'kubepods.slice/cpu.max': '800000 100000',
      'kubepods.slice/pod1.slice/cpu.max': 'max 100000',
      'kubepods.slice/pod1.slice/ctr.scope/cpu.max': '150000 100000',
    });
    const procSelfCgroup = '0::/kubepods.slice/pod1.slice/ctr.scope\n';
    expect(cgroupCpuLimit({ procSelfCgroup, root })).toBe(1.5);
    // A fraction of a CPU is left to the event loop: 1.5 CPUs → 1 worker.
    expect(defaultWorkerCount({ procSelfCgroup, root }, 64).workers).toBe(1);
    const unlimited = fakeCgroup({ 'cpu.max': 'max 100000' });
    expect(cgroupCpuLimit({ procSelfCgroup: '0::/', root: unlimited })).toBeUndefined();
  });

  it('cgroup v2: a group path that is not under the mount (no cgroup namespace) falls back to the mount root', () => {
    const root = fakeCgroup({ 'cpu.max': '400000 100000' });
    expect(cgroupCpuLimit({ procSelfCgroup: '0::/docker/abc123\n', root })).toBe(4);
  });

  it('cgroup v1: cfs_quota_us / cfs_period_us of the cpu controller; -1 is no limit', () => {
    const procSelfCgroup = '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n';
    const root = fakeCgroup({ 'cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '300000\n', 'cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n' });
    expect(cgroupCpuLimit({ procSelfCgroup, root })).toBe(3);
    const mountedAsCpu = fakeCgroup({ 'cpu/cpu.cfs_quota_us': '50000', 'cpu/cpu.cfs_period_us': '100000' });
    expect(cgroupCpuLimit({ procSelfCgroup, root: mountedAsCpu })).toBe(0.5);
    expect(defaultWorkerCount({ procSelfCgroup, root: mountedAsCpu }, 8).workers).toBe(1);
    const none = fakeCgroup({ 'cpu,cpuacct/cpu.cfs_quota_us': '-1', 'cpu,cpuacct/cpu.cfs_period_us': '100000' });
    expect(cgroupCpuLimit({ procSelfCgroup, root: none })).toBeUndefined();
  });

  it('no cgroup, or a quota above the CPUs there are: the CPUs available', () => {
    expect(defaultWorkerCount({ procSelfCgroup: '', root: '/nonexistent' }, 6)).toEqual({ workers: 6, source: 'availableParallelism() = 6' });
    const generous = fakeCgroup({ 'cpu.max': '1600000 100000' });
    expect(defaultWorkerCount({ procSelfCgroup: '0::/', root: generous }, 4).workers).toBe(4);
    const garbage = fakeCgroup({ 'cpu.max': 'nonsense' });
    expect(cgroupCpuLimit({ procSelfCgroup: '0::/', root: garbage })).toBeUndefined();
  });

  it('defaultConfig() uses it', async () => {
    const { defaultConfig } = await import('../src/config.js');
    expect(defaultConfig().workers).toBe(defaultWorkerCount().workers);
  });
});

describe('settings', () => {
  const load = (env: Record<string, string>, argv: string[] = []) => loadConfig({ env, argv });

  it('auth: required refuses to start without a token, none refuses a token, auto takes either', () => {
    expect(() => load({ GOLONG_REWARD_AUTH: 'required' })).toThrow(
      /GOLONG_REWARD_AUTH=required but no token is set; set GOLONG_REWARD_TOKEN \(in Kubernetes: kubectl create secret generic golong-reward --from-literal=token=\.\.\.\), or set GOLONG_REWARD_AUTH=none/,
    );
    expect(load({ GOLONG_REWARD_AUTH: 'required', GOLONG_REWARD_TOKEN: 't' }).token).toBe('t');
    expect(() => load({ GOLONG_REWARD_AUTH: 'none', GOLONG_REWARD_TOKEN: 't' })).toThrow(ConfigError);
    expect(load({ GOLONG_REWARD_AUTH: 'none' }).auth).toBe('none');
    expect(load({}).auth).toBe('auto');
    expect(() => load({ GOLONG_REWARD_AUTH: 'requred' })).toThrow('--auth / GOLONG_REWARD_AUTH must be one of auto, required, none (did you mean "required"?)');
  });

  it('booleans: a typo is an error, never a silent false', () => {
    expect(load({ GOLONG_REWARD_PROTECT_DOCS: 'yes' }).protectDocs).toBe(true);
    expect(load({ GOLONG_REWARD_PROTECT_DOCS: '0' }).protectDocs).toBe(false);
    expect(load({}, ['--protect-docs']).protectDocs).toBe(true);
    expect(() => load({ GOLONG_REWARD_PROTECT_DOCS: 'ture' })).toThrow(/--protect-docs \/ GOLONG_REWARD_PROTECT_DOCS must be true or false .*\(got "ture"\)/);
    expect(() => load({ GOLONG_REWARD_TEST_HOOKS: 'y' })).toThrow(/GOLONG_REWARD_TEST_HOOKS must be true or false/);
  });

  it('metrics port: off by default, not the service port', () => {
    expect(load({}).metricsPort).toBeUndefined();
    expect(load({ GOLONG_REWARD_METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => load({ PORT: '9000' }, ['--metrics-port', '9000'])).toThrow(/the metrics port \(9000\) is the service port/);
  });

  it('a log level typo names the likely level', () => {
    expect(() => load({ LOG_LEVEL: 'warning' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(did you mean "warn"\?\)/);
  });

  it('the effective configuration logged at start never holds the token', () => {
    const shown = effectiveConfig(load({ GOLONG_REWARD_TOKEN: 'sekret-42' }));
    expect(JSON.stringify(shown)).not.toContain('sekret-42');
    expect(shown.token).toBe('set');
    expect(effectiveConfig(load({})).token).toBe('unset');
  });
});
