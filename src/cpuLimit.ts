// The container's CPU limit, from the cgroup CPU quota: a pod limited to 2 CPUs on a 64-core node
// should start 2 scoring workers, not 64. os.availableParallelism() counts the CPUs the process
// may be scheduled on (affinity), which a CFS quota does not change.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';

export interface CgroupFiles {
  /** Contents of /proc/self/cgroup. */
  procSelfCgroup: string;
  /** Where the cgroup file systems are mounted (/sys/fs/cgroup). */
  root: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The group's directory and its ancestors up to the mount root (the root itself last). */
function selfAndAncestors(mount: string, group: string): string[] {
  const out: string[] = [];
  let dir = posix.normalize(`/${group}`);
  for (;;) {
    out.push(posix.join(mount, dir));
    if (dir === '/') return out;
    dir = posix.dirname(dir);
  }
}

/** cgroup v2 `cpu.max` ("200000 100000", or "max 100000" for no limit) as CPUs. */
function cpuMax(text: string | undefined): number | undefined {
  const m = text && /^(\d+|max)\s+(\d+)/.exec(text.trim());
  if (!m || m[1] === 'max' || Number(m[2]) <= 0) return undefined;
  return Number(m[1]) / Number(m[2]);
}

/** cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` (-1 for no limit) as CPUs. */
function cfsQuota(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota?.trim());
  const p = Number(period?.trim());
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return q / p;
}

const smallest = (limits: (number | undefined)[]): number | undefined => {
  const found = limits.filter((l): l is number => l !== undefined);
  return found.length > 0 ? Math.min(...found) : undefined;
};

/**
 * The CPU quota of this process's cgroup in CPUs (e.g. 2.5), the smallest along the group and its
 * ancestors, or undefined when there is none. cgroup v2 (`0::/path`, cpu.max) first, then v1 (the
 * `cpu` controller's cfs_quota_us / cfs_period_us). Inside a container the group's path may not
 * exist under the mount (the mount is the container's own group): its ancestors, down to the
 * mount root, are read too.
 */
export function cgroupCpuLimit({ procSelfCgroup, root }: CgroupFiles): number | undefined {
  const lines = procSelfCgroup.split('\n').map((l) => l.trim()).filter(Boolean);
  const v2 = lines.find((l) => l.startsWith('0::'));
  if (v2) {
    const limit = smallest(selfAndAncestors(root, v2.slice(3)).map((dir) => cpuMax(read(posix.join(dir, 'cpu.max')))));
    if (limit !== undefined) return limit;
  }
  for (const line of lines) {
    const [, controllers, group] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || !controllers.split(',').includes('cpu')) continue;
    for (const mount of [posix.join(root, controllers), posix.join(root, 'cpu'), posix.join(root, 'cpu,cpuacct')]) {
      const limit = smallest(
        selfAndAncestors(mount, group!).map((dir) => cfsQuota(read(posix.join(dir, 'cpu.cfs_quota_us')), read(posix.join(dir, 'cpu.cfs_period_us')))),
      );
      if (limit !== undefined) return limit;
    }
  }
  return undefined;
}

export interface CpuBudget {
  /** Default number of scoring workers. */
  workers: number;
  /** Where the number came from, for the start log. */
  source: string;
}

/**
 * Scoring workers by default: the cgroup CPU quota rounded down (at least 1; a fraction of a CPU is
 * left to the event loop) when there is one below the schedulable CPUs, else availableParallelism().
 */
export function defaultWorkerCount(files?: CgroupFiles, cpus: number = availableParallelism()): CpuBudget {
  let limit: number | undefined;
  try {
    limit = cgroupCpuLimit(files ?? { procSelfCgroup: read('/proc/self/cgroup') ?? '', root: '/sys/fs/cgroup' });
  } catch {
    limit = undefined;
  }
  if (limit !== undefined && limit < cpus) {
    return { workers: Math.max(1, Math.floor(limit)), source: `cgroup CPU quota of ${+limit.toFixed(3)} CPUs` };
  }
  return { workers: cpus, source: `availableParallelism() = ${cpus}` };
}
