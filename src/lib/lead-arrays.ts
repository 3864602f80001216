/**
 * Columns of a query result as typed arrays: what the interactive tier preview scans in
 * JavaScript (src/lib/tiers/preview.ts). A connector that can hand over columns cheaply (DuckDB-WASM's
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
    } else if ((chunk.offset & 7) === 0) {
      // Byte-aligned (a whole column, or a batch of an IPC stream): eight rows per bitmap byte.
      const first = chunk.offset >> 3;
      const whole = chunk.length >> 3;
      for (let k = 0; k < whole; ++k) {
        const byte = bitmap[first + k];
        const o = at + (k << 3);
        if (byte === 255) {
          valid[o] = valid[o + 1] = valid[o + 2] = valid[o + 3] = valid[o + 4] = valid[o + 5] = valid[o + 6] = valid[o + 7] = 1;
        } else if (byte !== 0) {
          for (let b = 0; b < 8; ++b) valid[o + b] = (byte >> b) & 1;
        }
      }
      for (let i = whole << 3; i < chunk.length; ++i) valid[at + i] = (bitmap[first + (i >> 3)] >> (i & 7)) & 1;
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
 * numbers come from the columns file (src/lib/tiers/preview-source.ts) and need no query.
 */
export function deferredConnector(conn: Promise<ColumnarConnector>): ColumnarConnector {
  conn.catch(() => {}); // (the page reports a failed load itself; queries fail with its error)
  return {
    dialect: "duckdb",
    query: async (sql) => (await conn).query(sql),
    columns: async (sql) => (await conn).columns(sql)
  };
}

/** Rows a {@link readChunk} scratch holds. */
export const CHUNK = 4096;

/**
 * Scratch arrays for {@link readChunk}, for a function that reads a column through them without
 * yielding (one pair, kept: every fresh array costs page faults on its first writes).
 */
const SCRATCH = {values: new Float64Array(CHUNK), valid: new Uint8Array(CHUNK)};
export const chunkScratch = () => SCRATCH;

/**
 * Copies rows `start` … `end − 1` (at most {@link CHUNK}) of a column into `scratch` as doubles
 * and 0/1 presence, by the typed arrays' own conversion. A loop reading the scratch sees one kind
 * of array whatever the column's type and NULLs, so the JavaScript engine keeps it optimised from
 * one column to the next: a loop over the column's own array is re-optimised for every new kind,
 * which at 40k rows costs more than the loop itself.
 */
export function readChunk(column: TypedColumn, start: number, end: number, scratch: {values: Float64Array; valid: Uint8Array}): number {
  const n = end - start;
  const {values, valid} = column;
  if (ArrayBuffer.isView(values)) scratch.values.set((values as unknown as Float64Array).subarray(start, end));
  else for (let i = 0; i < n; ++i) scratch.values[i] = values[start + i];
  if (valid) scratch.valid.set(valid.subarray(start, end));
  else scratch.valid.fill(1, 0, n);
  return n;
}

/** The present values' least and greatest, and whether all are whole numbers (of rows `rows`). */
export function valueRange(column: TypedColumn, rows = column.values.length): {present: number; min: number; max: number; integers: boolean} {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  let present = 0;
  const scratch = chunkScratch();
  const {values, valid} = scratch;
  // (One loop, the scratch refilled every CHUNK rows: a nested loop would leave optimised code at each chunk's end.)
  for (let row = 0, i = CHUNK; row < rows; ++row, ++i) {
    if (i === CHUNK) {
      readChunk(column, row, Math.min(row + CHUNK, rows), scratch);
      i = 0;
    }
    if (valid[i] === 0) continue;
    const v = values[i];
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  return {present, min, max, integers};
}

/** A column's observed values: distinct, ascending, each with its count of leads. */
export interface Distribution {
  values: Float64Array;
  counts: Float64Array;
}

/** Ascending comparison in DuckDB's order (NaN above every number). */
export function compareNumbers(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distribution of (value, count) pairs, in any order and with repeats. */
export function distributionOf(pairs: Iterable<readonly [number, number]>): Distribution {
  const byValue = new Map<number, number>();
  for (const [v, n] of pairs) byValue.set(v, (byValue.get(v) ?? 0) + n);
  const values = Float64Array.from(byValue.keys()).sort();
  return {values, counts: Float64Array.from(values, (v) => byValue.get(v)!)};
}

/** The distribution of a typed column's present values (of rows `rows`, or all). */
export function columnDistribution(column: TypedColumn, rows: number): Distribution {
  const {present, min, max, integers} = valueRange(column, rows);
  if (present === 0) return {values: new Float64Array(0), counts: new Float64Array(0)};
  // (The column is read through readChunk's scratch: see there why.)
  const scratch = chunkScratch();
  const {values, valid} = scratch;
  if (integers && max - min <= Math.max(1 << 16, 4 * rows)) {
    // Whole numbers in a narrow range (months, counts): a histogram, no sort.
    const histogram = new Float64Array(max - min + 1);
    for (let row = 0, i = CHUNK; row < rows; ++row, ++i) {
      if (i === CHUNK) {
        readChunk(column, row, Math.min(row + CHUNK, rows), scratch);
        i = 0;
      }
      if (valid[i] === 1) histogram[(values[i] - min) | 0] += 1;
    }
    let distinct = 0;
    for (let k = 0; k < histogram.length; ++k) if (histogram[k] > 0) distinct++;
    const out = {values: new Float64Array(distinct), counts: new Float64Array(distinct)};
    for (let k = 0, j = 0; k < histogram.length; ++k) {
      if (histogram[k] > 0) {
        out.values[j] = min + k;
        out.counts[j++] = histogram[k];
      }
    }
    return out;
  }
  const sorted = new Float64Array(present);
  for (let row = 0, i = CHUNK, j = 0; row < rows; ++row, ++i) {
    if (i === CHUNK) {
      readChunk(column, row, Math.min(row + CHUNK, rows), scratch);
      i = 0;
    }
    if (valid[i] === 1) sorted[j++] = values[i];
  }
  sorted.sort(); // (typed-array sort puts NaN last, as DuckDB orders it)
  const outValues: number[] = [];
  const outCounts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && compareNumbers(sorted[j], sorted[i]) === 0) j++;
    outValues.push(sorted[i]);
    outCounts.push(j - i);
    i = j;
  }
  return {values: Float64Array.from(outValues), counts: Float64Array.from(outCounts)};
}
