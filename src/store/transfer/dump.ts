import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { RowBatch, StateReader, StateSource } from './state-source.ts';
import { READ_BATCH } from './store-source.ts';
import { TABLES } from './tables.ts';

/**
 * eniplane's portable dump: gzip-compressed JSON Lines, the same for SQLite and PostgreSQL, so a
 * dump of either restores into either. A header line (format, version, the source's dialect and
 * migrations, its tables), then per table a line naming it and its columns, one JSON array per
 * row, and a line with its row count; a last line with the totals. A dump cut short fails to
 * restore (gzip's CRC and length, and the counts), never restores part of a state.
 */
export const DUMP_FORMAT = 'eniplane-dump';
const DUMP_VERSION = 1;

/** gzip's magic number: the first two bytes of a dump. */
export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: number;
  source: string;
  createdAt: string;
  migrations: string[];
  tables: string[];
}

/** The lines of a dump of `reader`'s state, as `writeDump` writes them. */
async function* dumpLines(reader: StateReader, source: string, now: Date): AsyncIterable<string> {
  const header: DumpHeader = {
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    source,
    createdAt: now.toISOString(),
    migrations: [...reader.migrations],
    tables: reader.tables.map((t) => t.name),
  };
  yield `${JSON.stringify(header)}\n`;
  let total = 0;
  for (const t of reader.tables) {
    let rows = 0;
    let columns: readonly string[] | undefined;
    for await (const batch of reader.rows(t.name)) {
      if (!columns) {
        columns = batch.columns;
        yield `${JSON.stringify({ table: t.name, columns })}\n`;
      }
      const order = batch.columns === columns ? undefined : columns.map((c) => batch.columns.indexOf(c));
      let chunk = '';
      for (const row of batch.rows) chunk += `${JSON.stringify(order ? order.map((i) => row[i]) : row)}\n`;
      rows += batch.rows.length;
      yield chunk;
    }
    if (!columns) yield `${JSON.stringify({ table: t.name, columns: [] })}\n`;
    yield `${JSON.stringify({ end: t.name, rows })}\n`;
    total += rows;
  }
  yield `${JSON.stringify({ end: true, tables: reader.tables.length, rows: total })}\n`;
}

/** Writes a dump of `source` to `file` (which the caller has created empty, with the mode it wants); returns the rows written per table. */
export async function writeDump(source: StateSource, file: string, now = new Date()): Promise<void> {
  await source.read(async (reader) => {
    await pipeline(Readable.from(dumpLines(reader, source.kind, now)), createGzip(), createWriteStream(file, { flags: 'r+' }));
    await reader.done();
  });
}

class DumpError extends Error {}

/** A dump file as a state source: read front to back, once. */
export function dumpStateSource(file: string): StateSource {
  let lines: AsyncIterator<string> | undefined;
  let input: ReturnType<typeof createReadStream> | undefined;
  let lineNo = 0;
  const next = async (): Promise<unknown> => {
    const r = await lines!.next();
    if (r.done) throw new DumpError(`${file} ends early, after line ${lineNo}: the dump is incomplete`);
    lineNo++;
    try {
      return JSON.parse(r.value) as unknown;
    } catch {
      throw new DumpError(`${file}: line ${lineNo} is not JSON: the dump is damaged`);
    }
  };
  return {
    location: file,
    kind: 'dump',
    async read(fn) {
      if (lines) throw new Error('a dump is read once');
      input = createReadStream(file);
      const gunzip = input.pipe(createGunzip());
      // Errors of the file or of gzip (a damaged or cut dump) end the line iteration with them.
      const failure = new Promise<never>((_, reject) => {
        input!.once('error', reject);
        gunzip.once('error', (err) => reject(new DumpError(`${file} is not a complete gzip stream (${err.message}): the dump is damaged or cut short`)));
      });
      failure.catch(() => {});
      const iterator = createInterface({ input: gunzip, crlfDelay: Infinity })[Symbol.asyncIterator]();
      lines = {
        next: () => Promise.race([iterator.next(), failure]),
      };
      const header = (await next()) as Partial<DumpHeader>;
      if (header.format !== DUMP_FORMAT) throw new DumpError(`${file} is not an eniplane dump`);
      if (header.version !== DUMP_VERSION)
        throw new DumpError(`${file} is an eniplane dump of version ${header.version}; this eniplane reads version ${DUMP_VERSION}`);
      const known = new Map(TABLES.map((t) => [t.name as string, t]));
      const unknown = (header.tables ?? []).filter((t) => !known.has(t));
      if (unknown.length > 0)
        throw new DumpError(`${file} holds tables this eniplane does not know (${unknown.join(', ')}): it was written by a newer eniplane`);
      const tables = (header.tables ?? []).map((t) => known.get(t)!);
      let position = 0;
      const reader: StateReader = {
        migrations: header.migrations ?? [],
        tables,
        async *rows(table) {
          if (tables[position]?.name !== table) throw new Error(`a dump's tables are read in order: ${tables[position]?.name ?? 'none'} is next, not ${table}`);
          position++;
          const start = (await next()) as { table?: string; columns?: string[] };
          if (start.table !== table || !Array.isArray(start.columns)) throw new DumpError(`${file}: line ${lineNo} should start table ${table}`);
          const columns = start.columns;
          let rows: unknown[][] = [];
          let count = 0;
          for (;;) {
            const line = await next();
            if (!Array.isArray(line)) {
              const end = line as { end?: string; rows?: number };
              if (end.end !== table) throw new DumpError(`${file}: line ${lineNo} should end table ${table}`);
              if (rows.length > 0) yield { columns, rows } satisfies RowBatch;
              if (end.rows !== count) throw new DumpError(`${file}: table ${table} has ${count} rows, its count says ${end.rows}`);
              return;
            }
            if (line.length !== columns.length)
              throw new DumpError(`${file}: line ${lineNo} has ${line.length} values for ${columns.length} columns of ${table}`);
            rows.push(line);
            count++;
            if (rows.length >= READ_BATCH) {
              yield { columns, rows };
              rows = [];
            }
          }
        },
        async done() {
          if (position !== tables.length) throw new Error(`${tables.length - position} tables of the dump were not read`);
          const trailer = (await next()) as { end?: unknown; rows?: unknown };
          if (trailer.end !== true) throw new DumpError(`${file}: line ${lineNo} should be the dump's last`);
          if ((await lines!.next()).done !== true) throw new DumpError(`${file} goes on after its last line`);
        },
      };
      try {
        return await fn(reader);
      } finally {
        input.destroy();
      }
    },
    async close() {
      input?.destroy();
    },
  };
}
