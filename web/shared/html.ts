// Small HTML-string helpers shared by the reward debugger page (web/src) and the static report
// (src/cli/report.ts). Pure functions: no DOM, no Node APIs, so both sides can import them.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value. */
export const esc = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A number with up to `digits` decimals, '-' when not finite. */
export function num(x: unknown, digits = 4): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '-';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** A share as a percentage of `whole`, '-' when whole is 0. */
export const pct = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** JSON of a value, for showing ground truths and rows as data. */
export const json = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

/** A long text cut to its head and tail. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)} … ${text.slice(-max / 2)}`;
}
