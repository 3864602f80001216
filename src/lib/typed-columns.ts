/**
 * Columns of a query result as typed arrays: what the interactive tier preview scans in
 * JavaScript (src/lib/preview.ts). A connector that can hand over columns cheaply (DuckDB-WASM's
 * Arrow, native DuckDB's vectors) implements {@link ColumnarConnector}; any other connector's
 * rows are converted with {@link batchFromRows}.
 */
import type {Connector, Row} from "./connector.js";

/** One numeric column: its values, and which are present when it has NULLs (1 = present). */
export interface TypedColumn {
  /** Numbers; a NULL's slot holds an arbitrary number, to be ignored. */
  values: ArrayLike<number>;
  /** null when the column has no NULL at all. */
  valid: Uint8Array | null;
}

/** A query result of numeric columns, all `rows` long. */
export interface ColumnBatch {
  rows: number;
  columns: Map<string, TypedColumn>;
}

/** A connector that returns a query's result as typed columns (numbers only). */
export interface ColumnarConnector extends Connector {
  /** Runs a query whose columns are all numeric (or boolean) and returns them as typed arrays. */
  columns(sql: string): Promise<ColumnBatch>;
}

export function isColumnar(conn: Connector): conn is ColumnarConnector {
  return typeof (conn as Partial<ColumnarConnector>).columns === "function";
}

/** Rows (numbers, booleans, NULLs) as a batch of Float64 columns: the slow, always-available path. */
export function batchFromRows(rows: readonly Row[], names: readonly string[]): ColumnBatch {
  const columns = new Map<string, TypedColumn>();
  for (const name of names) {
    const values = new Float64Array(rows.length);
    const valid = new Uint8Array(rows.length);
    let nulls = 0;
    rows.forEach((row, i) => {
      const v = row[name];
      if (v === null || v === undefined) {
        nulls++;
        return;
      }
      values[i] = typeof v === "boolean" ? Number(v) : Number(v);
      valid[i] = 1;
    });
    columns.set(name, {values, valid: nulls ? valid : null});
  }
  return {rows: rows.length, columns};
}

/** Runs `sql` on the connector's columnar path when it has one, else through its rows. */
export async function queryColumns(conn: Connector, sql: string, names: readonly string[]): Promise<ColumnBatch> {
  if (isColumnar(conn)) return conn.columns(sql);
  return batchFromRows(await conn.query(sql), names);
}

/**
 * A validity array from Arrow-style bitmaps (bit i of chunk k set = present), for a column split
 * into chunks. Returns null when there is no NULL.
 */
export function validityFromBitmaps(chunks: readonly {length: number; offset: number; nullCount: number; nullBitmap?: Uint8Array | null}[]): Uint8Array | null {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  if (chunks.every((c) => c.nullCount === 0)) return null;
  const valid = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    const bitmap = chunk.nullBitmap;
    if (chunk.nullCount === 0 || !bitmap || bitmap.length === 0) {
      valid.fill(1, at, at + chunk.length);
    } else {
      for (let i = 0; i < chunk.length; ++i) {
        const bit = chunk.offset + i;
        valid[at + i] = (bitmap[bit >> 3] >> (bit & 7)) & 1;
      }
    }
    at += chunk.length;
  }
  return valid;
}

/**
 * A connector whose engine is still starting: every query waits for it (and fails as it does).
 * Lets a page hand the tier preview its connector before the engine is ready, when the first
 * numbers come from the columns file (src/lib/preview-source.ts) and need no query.
 */
export function deferredConnector(conn: Promise<ColumnarConnector>): ColumnarConnector {
  conn.catch(() => {}); // (the page reports a failed load itself; queries fail with its error)
  return {
    dialect: "duckdb",
    query: async (sql) => (await conn).query(sql),
    columns: async (sql) => (await conn).columns(sql)
  };
}
