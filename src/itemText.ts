// Items travel to the scoring workers as JSON text, written so that Python number types survive
// (stringifyJsonPy). JSON.parse accepts any nesting depth but serialising recurses, so an absurdly
// deep ground truth must become that item's error, not a 500.
import type { ItemResult } from '../rewards/index.js';
import { stringifyJsonPy } from '../rewards/pyjson.js';

export function serializeItem(item: unknown): { text: string } | { error: ItemResult } {
  try {
    return { text: stringifyJsonPy(item) };
  } catch (err) {
    const reason = err instanceof RangeError ? 'the item is nested too deeply to process' : `the item cannot be serialised: ${(err as Error).message}`;
    return { error: { score: null, error: { code: 'bad_item', message: reason } } };
  }
}
