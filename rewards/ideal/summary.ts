// Counts of a dataset check, per data source and LongBench-Pro sub-task: rows, fine rows, and the
// rows with a problem by their first (most severe) problem code. The CLI's table and report and
// POST /check's `summary` are both made from it.
import type { RowCheck, Severity } from './problems.js';

const SEVERITIES: readonly Severity[] = ['fatal', 'capped', 'warning'];

export interface SourceCounts {
  data_source: string | null;
  /** LongBench-Pro sub-task (extra_info.reward_mode), when the row has one. */
  subtask?: string;
  rows: number;
  fine: number;
  /** Rows by their first problem code. */
  problems: Record<string, number>;
}

export interface CheckSummaryData {
  rows: number;
  fine: number;
  with_problems: number;
  /** Rows by their first problem code, most frequent first. */
  by_code: Record<string, number>;
  /** Rows by severity of their first problem: fatal, capped, warning. */
  by_severity: Record<string, number>;
  /** Sorted by data source, then sub-task. */
  by_source: SourceCounts[];
}

export class CheckSummary {
  private readonly groups = new Map<string, SourceCounts>();
  private rows = 0;
  private fine = 0;
  private readonly codes = new Map<string, number>();
  private readonly severities = new Map<string, number>();

  add(check: RowCheck): void {
    this.rows++;
    const source = check.data_source ?? null;
    const subtask = source === 'longbench_pro' ? check.subtask : undefined;
    const key = JSON.stringify([source, subtask ?? null]);
    let group = this.groups.get(key);
    if (!group) {
      group = { data_source: source, ...(subtask !== undefined && { subtask }), rows: 0, fine: 0, problems: {} };
      this.groups.set(key, group);
    }
    group.rows++;
    const first = check.problems[0];
    if (!first) {
      group.fine++;
      this.fine++;
      return;
    }
    group.problems[first.problem] = (group.problems[first.problem] ?? 0) + 1;
    this.codes.set(first.problem, (this.codes.get(first.problem) ?? 0) + 1);
    this.severities.set(first.severity, (this.severities.get(first.severity) ?? 0) + 1);
  }

  data(): CheckSummaryData {
    const by_source = [...this.groups.values()].sort(
      (a, b) => (a.data_source ?? '\uffff').localeCompare(b.data_source ?? '\uffff') || (a.subtask ?? '').localeCompare(b.subtask ?? '', 'en', { numeric: true }),
    );
    const sorted = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
    const by_severity = Object.fromEntries(SEVERITIES.filter((s) => this.severities.has(s)).map((s) => [s, this.severities.get(s)!]));
    return { rows: this.rows, fine: this.fine, with_problems: this.rows - this.fine, by_code: sorted(this.codes), by_severity, by_source };
  }
}
