// Memory of a Linux process from /proc/<pid>/status. Worker threads share their process, so
// VmHWM (peak resident set since start) covers the server's scoring threads too.
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  /** Peak resident set size since the process started (KiB). */
  hwmKiB: number;
  rssKiB: number;
  threads: number;
}

/** VmHWM / VmRSS / Threads of a process, or undefined when /proc is unavailable. */
export function procMemory(pid: number): ProcMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS'), threads: field('Threads') };
  } catch {
    return undefined;
  }
}
