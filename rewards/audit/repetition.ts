// repetition_loop: does a response end in a loop of repeated text? A generation that falls into
// a loop repeats a unit (a phrase, a sentence, a paragraph) until it runs out of tokens, so its
// tail is periodic. The check is exact and linear, and costs little on ordinary text: it looks
// only at the response's final part (after its last </think>, where a loop that ends the response
// must lie), and there a probe (the last PROBE characters) must occur again within the last
// MAX_UNIT + PROBE characters, found by the engine's native substring search; only then is the
// tail measured exactly.
import { trimmedEnd } from '../text.js';

/** Longest repeated unit looked for, in UTF-16 code units. */
export const MAX_UNIT = 2048;
/** A loop repeats its unit at least this many times... */
export const MIN_COPIES = 4;
/** ...over at least this many code units. */
export const MIN_LOOP_CHARS = 256;
/**
 * Every loop by the rule above has a stretch of at least 3 units and 192 characters after its
 * first unit, so the last PROBE characters also occur one unit earlier.
 */
const PROBE = 64;

export interface TailLoop {
  /** Length of the repeated unit (the smallest period of the stretch), in UTF-16 code units. */
  unit: number;
  /** Start of the repeated stretch (UTF-16 index into the text). */
  start: number;
  /** End of the stretch: the end of the text without its trailing whitespace. */
  end: number;
}

/**
 * The loop text[from, ...) ends in, or undefined: with trailing whitespace ignored, the last
 * `length` code units (all at or after `from`) have a period `unit` <= MAX_UNIT (each equals the
 * one `unit` before it), with length >= MIN_COPIES * unit and length >= MIN_LOOP_CHARS. `unit`
 * is the smallest such period; `start` the start of the longest such stretch.
 */
export function tailLoop(text: string, from = 0): TailLoop | undefined {
  // Trailing whitespace only shortens the tail: a short final part (most answers) is done here.
  if (text.length - from < MIN_LOOP_CHARS) return undefined;
  const end = trimmedEnd(text, from);
  if (end - from < MIN_LOOP_CHARS) return undefined;
  // Necessary condition: the probe recurs within one unit of the end.
  const probe = text.slice(end - PROBE, end);
  const at = text.indexOf(probe, Math.max(from, end - PROBE - MAX_UNIT));
  if (at < 0 || at >= end - PROBE) return undefined;
  return measureTail(text, from, end);
}

/**
 * Exact check. With r the text read backwards from `end`, z[p] = length of the longest common
 * prefix of r and r[p:] (the Z-function, linear): the stretch ending at `end` with period p is
 * p + z[p] long. Over the last (MIN_COPIES + 1) * MAX_UNIT code units, the first p whose stretch
 * qualifies is the smallest period; its z is only followed as far as the rule needs, and the
 * stretch is then measured natively (extendBack).
 */
function measureTail(text: string, from: number, end: number): TailLoop | undefined {
  const n = Math.min(end - from, (MIN_COPIES + 1) * MAX_UNIT);
  const at = (i: number): number => text.charCodeAt(end - 1 - i);
  const maxP = Math.min(MAX_UNIT, Math.floor(n / MIN_COPIES));
  // Only z[1..maxP] is needed; r never decreases, so the work is linear in n.
  const z = new Int32Array(maxP + 1);
  let l = 0;
  let r = 0;
  for (let i = 1; i <= maxP; i++) {
    // z[i] reaching `need` means period i qualifies: no need to follow it further.
    const need = Math.max((MIN_COPIES - 1) * i, MIN_LOOP_CHARS - i);
    let k = 0;
    if (i < r) k = Math.min(r - i, z[i - l]!);
    while (k < need && i + k < n && at(k) === at(i + k)) k++;
    if (k >= need) return { unit: i, start: extendBack(text, from, end - i - k, i), end };
    z[i] = k;
    if (i + k > r) {
      l = i;
      r = i + k;
    }
  }
  return undefined;
}

/** Whether text[a - len, a) equals text[a - len + unit, a + unit), compared natively. */
const periodic = (text: string, a: number, len: number, unit: number): boolean => text.slice(a - len, a) === text.slice(a - len + unit, a + unit);

/**
 * Moves `start` back while text[start - 1] equals text[start - 1 + unit], not past `from`:
 * blocks of doubling size are compared natively, then halving ones find the exact end (a
 * 100,000-character loop is measured in microseconds).
 */
function extendBack(text: string, from: number, start: number, unit: number): number {
  let block = 256;
  while (start - from >= block && periodic(text, start, block, unit)) {
    start -= block;
    if (block < 16_384) block *= 2;
  }
  for (block = Math.min(block, start - from); block >= 16; block >>= 1) {
    if (start - from >= block && periodic(text, start, block, unit)) start -= block;
  }
  while (start > from && text.charCodeAt(start - 1) === text.charCodeAt(start - 1 + unit)) start--;
  return start;
}
