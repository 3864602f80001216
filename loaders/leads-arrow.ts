/**
 * The tier page's columns file, `leads.arrow`: the columns its counting loop reads (contacted_date,
 * split, target and the integer features; see src/lib/tiers/preview-source.ts), as one Arrow IPC stream
 * of narrow types (a feature is stored as TINYINT, SMALLINT or INTEGER, whichever holds its
 * values). The page counts its first numbers from it while DuckDB-WASM starts. The table's column
 * list and the provenance travel in the Arrow schema's metadata.
 */
import {writeFile} from "node:fs/promises";
import {DateDay, Dictionary, Field, Int16, Int32, Int8, makeData, RecordBatch, Schema, Struct, Table, tableToIPC, Utf8, vectorFromArray, type DataType, type Vector} from "apache-arrow";
import {COLUMNS_FILE, previewFeatures} from "../src/lib/tiers/preview-source.js";
import type {Provenance} from "../src/lib/provenance.js";
import {describeColumns} from "../src/lib/data-contract.js";
import {literal, quoteIdentifier, quoteTable} from "../src/lib/sql.js";
import type {TypedColumn} from "../src/lib/lead-arrays.js";
import type {NodeConnector} from "./node-duckdb.js";

/** Leads per record batch. */
const BATCH_ROWS = 1 << 17;

/** Split values beyond this many are not coded (the page then asks the engine for a split). */
const MAX_SPLITS = 127;

/** The narrowest integer type holding lo … hi. */
function narrowest(lo: number, hi: number): {sql: string; arrow: () => DataType} {
  if (lo >= -128 && hi <= 127) return {sql: "TINYINT", arrow: () => new Int8()};
  if (lo >= -32768 && hi <= 32767) return {sql: "SMALLINT", arrow: () => new Int16()};
  return {sql: "INTEGER", arrow: () => new Int32()};
}

/** Arrow's validity bitmap (bit i set = present) from a 0/1 byte per row. */
function bitmap(valid: Uint8Array): Uint8Array {
  const bits = new Uint8Array(((valid.length + 63) >> 6) << 3);
  for (let i = 0; i < valid.length; ++i) if (valid[i]) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

function arrowData(type: DataType, column: TypedColumn, rows: number, dictionary?: Vector<Utf8>) {
  const valid = column.valid;
  const nullCount = valid ? valid.length - valid.reduce((n, v) => n + v, 0) : 0;
  return makeData({type: type as never, length: rows, nullCount, nullBitmap: valid && nullCount ? bitmap(valid) : null, data: column.values as never, ...(dictionary ? {dictionary} : {})} as never);
}

/**
 * Writes `table`'s columns file to `path`. Not atomic by itself: write to a temp path. Options
 * (for tests): `candidates`, which columns may be features (default: the contract's; see
 * previewFeatures); `batchRows`, leads per record batch.
 */
export async function copyToPreviewColumns(conn: NodeConnector, path: string, provenance: Provenance, table = "leads", options: {candidates?: readonly string[]; batchRows?: number} = {}): Promise<void> {
  const batchRows = options.batchRows ?? BATCH_ROWS;
  const relation = quoteTable(table);
  const schema = await describeColumns(conn, relation);
  const date = schema.find((c) => c.name === COLUMNS_FILE.date);
  if (date?.type !== "DATE") throw new Error(`the columns file needs ${COLUMNS_FILE.date} as a DATE; the table has ${date ? date.type : "no such column"}`);
  const features = previewFeatures(schema, options.candidates);
  const hasSplit = schema.some((c) => c.name === COLUMNS_FILE.split && c.kind === "string");
  const splits = hasSplit ? (await conn.query(`SELECT DISTINCT ${quoteIdentifier(COLUMNS_FILE.split)} AS v FROM ${relation} WHERE ${quoteIdentifier(COLUMNS_FILE.split)} IS NOT NULL ORDER BY v`)).map((r) => String(r.v)) : [];
  const codeSplit = hasSplit && splits.length <= MAX_SPLITS;

  const ranges = features.length
    ? (await conn.query(`SELECT ${features.map((c, k) => `CAST(MIN(${quoteIdentifier(c.name)}) AS DOUBLE) AS lo${k}, CAST(MAX(${quoteIdentifier(c.name)}) AS DOUBLE) AS hi${k}`).join(", ")} FROM ${relation}`))[0]
    : {};
  const types = features.map((c, k) => narrowest(Number(ranges[`lo${k}`] ?? 0), Number(ranges[`hi${k}`] ?? 0)));
  const splitCode = `CASE ${quoteIdentifier(COLUMNS_FILE.split)} ${splits.map((v, k) => `WHEN ${literal(v)} THEN ${k}`).join(" ")} END`;
  const selects = [
    `CAST(date_diff('day', DATE '1970-01-01', ${quoteIdentifier(COLUMNS_FILE.date)}) AS INTEGER) AS d`,
    `CAST(${quoteIdentifier(COLUMNS_FILE.target)} AS TINYINT) AS t`,
    ...(codeSplit ? [`CAST(${splits.length ? splitCode : "NULL"} AS TINYINT) AS s`] : []),
    ...features.map((c, k) => `CAST(${quoteIdentifier(c.name)} AS ${types[k].sql}) AS f${k}`)
  ];
  const batch = await conn.columns(`SELECT ${selects.join(", ")} FROM ${relation}`);
  const rows = batch.rows;

  const splitType = new Dictionary(new Utf8(), new Int8(), 0);
  const splitDictionary = vectorFromArray(splits, new Utf8());
  const columns: {field: Field; column: TypedColumn; dictionary?: Vector<Utf8>}[] = [
    {field: new Field(COLUMNS_FILE.date, new DateDay(), false), column: batch.columns.get("d")!},
    {field: new Field(COLUMNS_FILE.target, new Int8(), true), column: batch.columns.get("t")!},
    ...(codeSplit ? [{field: new Field(COLUMNS_FILE.split, splitType, true), column: batch.columns.get("s")!, dictionary: splitDictionary}] : []),
    ...features.map((c, k) => ({field: new Field(c.name, types[k].arrow(), true), column: batch.columns.get(`f${k}`)!}))
  ];
  const metadata = new Map([
    [COLUMNS_FILE.schemaKey, JSON.stringify(schema)],
    [COLUMNS_FILE.provenanceKey, JSON.stringify(provenance)]
  ]);
  const fields = columns.map((c) => c.field);
  const arrowSchema = new Schema(fields, metadata);
  // Record batches of `batchRows` leads: the page decodes them one at a time, yielding between them.
  const records: RecordBatch[] = [];
  for (let start = 0; start < rows || records.length === 0; start += batchRows) {
    const end = Math.min(rows, start + batchRows);
    const part = (c: TypedColumn): TypedColumn => ({values: (c.values as Int8Array).subarray(start, end), valid: c.valid ? c.valid.subarray(start, end) : null});
    const children = columns.map((c) => arrowData(c.field.type, part(c.column), end - start, c.dictionary));
    records.push(new RecordBatch(arrowSchema, makeData({type: new Struct(fields), length: end - start, nullCount: 0, children})));
  }
  await writeFile(path, tableToIPC(new Table(records), "stream"));
}
