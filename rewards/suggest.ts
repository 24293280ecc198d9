// "Did you mean": the known name an unknown data_source, task, LongBench-Pro sub-task or request
// parameter most likely meant. A suggestion only ever goes into an error message: a near-miss is
// still an error (a typo must never be scored as something the caller did not name).
import { distance } from 'fastest-levenshtein';

/** Lower case, with `-`, `_` and whitespace runs as one space: how names are compared. */
export function spacedName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

/** The same without any separator: `longbench-pro`, `LongBench_Pro` and `longbench pro` are equal. */
export function compactName(name: string): string {
  return spacedName(name).replace(/ /g, '');
}

const MAX_SUGGESTIONS = 3;
/** Shortest input matched by prefix or as a phrase inside a longer name (a single letter means nothing). */
const MIN_PREFIX = 2;
const MIN_PHRASE = 8;
/** Shortest known name suggested for an input that merely starts with it. */
const MIN_STEM = 4;

/** Edits allowed between an input and a name: about one per three characters, at least one. */
const allowedEdits = (a: string, b: string): number => Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));

/**
 * Known names `input` most likely meant, best first (at most three): the same name up to case,
 * `-`/`_` and spacing; else the names it begins (`math` → `math_verify`, `T7.1` → the T7.1
 * sub-task); else names containing it as a phrase (a sub-task without its number); else the
 * closest names within about one edit per three characters; else the names it begins with
 * (`warning` → `warn`). Empty when nothing is close.
 */
export function suggestNames(input: string, known: readonly string[]): string[] {
  const spaced = spacedName(input);
  const compact = spaced.replace(/ /g, '');
  if (compact === '') return [];
  const unique = [...new Set(known)];
  const pick = (names: string[]) => names.slice(0, MAX_SUGGESTIONS);

  const same = unique.filter((name) => compactName(name) === compact);
  if (same.length > 0) return pick(same);

  if (compact.length >= MIN_PREFIX) {
    // A prefix that ends where a word, a number part or a path segment ends: `t1` begins `t1.1 …`, not `t10.1 …`.
    const begun = unique.filter((name) => {
      const s = spacedName(name);
      return s.startsWith(spaced) && (s.length === spaced.length || /[\s./]/.test(s[spaced.length]!) || /[\s./]$/.test(spaced));
    });
    if (begun.length > 0) return pick(begun);
  }

  if (spaced.length >= MIN_PHRASE) {
    const containing = unique.filter((name) => ` ${spacedName(name)} `.includes(` ${spaced} `));
    if (containing.length > 0) return pick(containing);
  }

  let best = Number.POSITIVE_INFINITY;
  let closest: string[] = [];
  for (const name of unique) {
    const other = compactName(name);
    const d = distance(compact, other);
    if (d > allowedEdits(compact, other)) continue;
    if (d < best) {
      best = d;
      closest = [name];
    } else if (d === best) closest.push(name);
  }
  if (closest.length > 0) return pick(closest);

  // The input runs on past a known name: `warning` → `warn`, `selections` → `selection`.
  const extended = unique.filter((name) => {
    const c = compactName(name);
    return c.length >= MIN_STEM && compact.startsWith(c);
  });
  if (extended.length > 0) return pick(extended.sort((a, b) => compactName(b).length - compactName(a).length));
  return [];
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quotedAlternatives(names: readonly string[]): string {
  const quoted = names.map((n) => JSON.stringify(n));
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** ` (did you mean "X"?)` when a known name is close to `input`, else ''. */
export function didYouMean(input: unknown, known: readonly string[]): string {
  if (typeof input !== 'string') return '';
  const names = suggestNames(input, known);
  return names.length > 0 ? ` (did you mean ${quotedAlternatives(names)}?)` : '';
}

/** What an unknown-data_source message needs to know of a routing-table row. */
export interface DataSourceRoute {
  data_source: string;
  match: 'exact' | 'prefix' | 'contains';
}

/** The known data sources as a list, `x*` standing for every data_source that starts with x, `*x*` for every one that contains x. */
export function knownDataSourcesText(routes: readonly DataSourceRoute[]): string {
  const names = routes.map((r) => (r.match === 'exact' ? r.data_source : r.match === 'prefix' ? `${r.data_source}*` : `*${r.data_source}*`));
  const prefix = routes.filter((r) => r.match === 'prefix').at(-1);
  const pattern = routes.find((r) => r.match === 'contains');
  const prefixLegend = prefix ? ` (x* stands for any data_source starting with x, e.g. "${prefix.data_source}2024")` : '';
  const patternLegend = pattern ? ` (*x* stands for any data_source containing x, e.g. "dapo_${pattern.data_source}")` : '';
  return names.join(', ') + prefixLegend + patternLegend;
}

/**
 * The message for a data_source the router does not know: the likely name first, then the known
 * list. `routes(name)` tells whether a name is routed, so a repaired spelling (`Math-LongCoT-…`
 * → `math_longcot_…`) is only suggested when it would really be scored.
 */
export function unknownDataSourceMessage(dataSource: string, table: readonly DataSourceRoute[], routes: (name: string) => boolean, nativeTasks: readonly string[] = []): string {
  let hint = '';
  const repaired = [dataSource.replace(/[\s-]+/g, '_'), dataSource.toLowerCase(), dataSource.toLowerCase().replace(/[\s-]+/g, '_')].find(
    (name) => name !== dataSource && routes(name),
  );
  if (repaired !== undefined) hint = ` (did you mean ${JSON.stringify(repaired)}?)`;
  else {
    const exact = table.filter((r) => r.match === 'exact').map((r) => r.data_source);
    const prefixes = table.filter((r) => r.match === 'prefix').map((r) => r.data_source);
    const patterns = table.filter((r) => r.match === 'contains').map((r) => r.data_source);
    const names = suggestNames(dataSource, [...exact, ...prefixes, ...patterns]);
    if (names.length > 0) {
      const phrased = names.map((n) =>
        exact.includes(n) ? JSON.stringify(n) : prefixes.includes(n) ? `a data_source starting with ${JSON.stringify(n)}` : `a data_source containing ${JSON.stringify(n)}`,
      );
      hint = ` (did you mean ${phrased.length === 1 ? phrased[0] : `${phrased.slice(0, -1).join(', ')} or ${phrased.at(-1)}`}?)`;
    } else if (nativeTasks.some((n) => compactName(n) === compactName(dataSource))) {
      hint = ` (${JSON.stringify(dataSource)} is a native task: send a native item {task, response, reference} instead of a verl row)`;
    }
  }
  return `unknown data_source ${JSON.stringify(dataSource)}${hint}; known: ${knownDataSourcesText(table)}`;
}
