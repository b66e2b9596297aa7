import type { TableSpec } from './tables.ts';

/** Rows of one table: each row an array of values in `columns` order (strings, numbers, nulls). */
export interface RowBatch {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/**
 * A whole eniplane state, read from one instant of it: a database (in one read snapshot) or a
 * dump file. What `db copy`, `db backup` (dump format) and `db restore` move.
 */
export interface StateReader {
  /** The migrations the state was written under, in order. */
  migrations: readonly string[];
  /** The tables it holds, in load order (TABLES' order): older states lack the newer tables. */
  tables: readonly TableSpec[];
  /**
   * Every row of `table`, a batch at a time, in key order. Tables are read one after another in
   * `tables` order (a dump is read front to back); each table's count is checked once it is read.
   */
  rows(table: string): AsyncIterable<RowBatch>;
  /** Once every table is read: checks the state was read whole (a dump: up to its last line), before anything is committed. */
  done(): Promise<void>;
}

export interface StateSource {
  /** For messages: a file path, a data directory's database or a redacted URL. */
  location: string;
  kind: 'sqlite' | 'postgres' | 'dump';
  /** Runs `fn` with a reader of one instant of the state (a database: one read snapshot, held until `fn` ends). */
  read<T>(fn: (reader: StateReader) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
