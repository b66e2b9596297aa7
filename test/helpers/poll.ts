import assert from 'node:assert/strict';

/** Polls until `read` returns `want` (at most 5 s), returning every distinct value seen on the way. */
export async function pollUntil<T>(read: () => Promise<T>, want: T): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await read();
    if (seen[seen.length - 1] !== v) seen.push(v);
    if (v === want) return seen;
    if (Date.now() > deadline) assert.fail(`still ${String(v)} after 5 s (seen ${seen.map(String).join(' → ')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
