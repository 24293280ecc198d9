// What every command shares: usage errors (exit 2), flag parsing helpers, line output with backpressure.

/** A mistake in how the command was called: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

/** Writes lines with backpressure. */
export function lineWriter(stream: NodeJS.WritableStream) {
  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  return {
    async write(line: string) {
      buffer += line + '\n';
      if (buffer.length > 1 << 16) await flush();
    },
    flush,
  };
}
