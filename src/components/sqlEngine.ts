/**
 * An analyst's SQL in the browser (the Explore page and SQL cells): the same `leads` table and
 * engine as the other pages, plus `scored_leads` (leads with the rule set's tier), each query
 * checked by src/lib/query/guard.ts, its rows converted as `tierlab query` converts them.
 */
import {DataType, type Table} from "apache-arrow";
import {describeColumns} from "../lib/data-contract.js";
import type {ColumnInfo} from "../lib/column-info.js";
import {runReadOnly} from "../lib/query/guard.js";
import {queryCsv} from "../lib/query/result.js";
import {scoredLeadsViewSql} from "../lib/query/scored-view.js";
import {setField, toQueryValue, uniqueNames, type QueryColumn, type QueryRow, type QueryValue} from "../lib/query/values.js";
import type {RuleSet} from "../lib/rules/types.js";
import type {WasmConnector} from "./duckdb.js";

/** Rows a page shows of a result (the CSV has more: {@link CSV_ROWS}). */
export const SHOWN_ROWS = 10_000;
/** Rows a result's CSV holds at most (it says so when it stops). */
export const CSV_ROWS = 1_000_000;

export interface BrowserResult {
  sql: string;
  columns: QueryColumn[];
  /** The first {@link SHOWN_ROWS} rows. */
  rows: QueryRow[];
  /** Rows the query returned. */
  total: number;
  /** Milliseconds from the call to the rows. */
  ms: number;
  /** The first `limit` rows (all by default), converted now. */
  all(limit?: number): QueryRow[];
  /** The CSV of up to {@link CSV_ROWS} rows. */
  csv(): string;
}

export interface QuerySession {
  conn: WasmConnector;
  /** The columns of `leads`. */
  columns: ColumnInfo[];
  /** Why there is no `scored_leads` (the rule set does not fit the data), or null. */
  noScored: string | null;
}

/** Creates `scored_leads` for the rule set on a loaded engine (after its lockdown: a view is not configuration). */
export async function openSession(conn: WasmConnector, rules: RuleSet): Promise<QuerySession> {
  const columns = await describeColumns(conn, "leads");
  try {
    await conn.query(scoredLeadsViewSql(rules, columns));
    return {conn, columns, noScored: null};
  } catch (error) {
    if (error instanceof Error && error.name === "RuleSetError") return {conn, columns, noScored: error.message};
    throw error;
  }
}

/** A value from a `${…}` of a SQL cell, as DuckDB-WASM binds it. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return toQueryValue(value);
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return toQueryValue(value);
  throw new TypeError(`a \${…} in SQL must be a number, text, boolean, date or null, got ${Array.isArray(value) ? "a list" : typeof value}`);
}

/** Runs one read-only statement; bad or refused SQL throws an AnalystQueryError (message, SQL). */
export async function runQuery(conn: WasmConnector, sql: string, params: readonly unknown[] = []): Promise<BrowserResult> {
  const t0 = performance.now();
  const values = params.map(bindable);
  const table = await runReadOnly(sql, (checked) => conn.table(checked, values));
  const ms = performance.now() - t0;
  const read = reader(table);
  const result: BrowserResult = {
    sql,
    columns: read.columns,
    rows: read.rows(Math.min(SHOWN_ROWS, table.numRows)),
    total: table.numRows,
    ms,
    all: (limit = table.numRows) => read.rows(Math.min(limit, table.numRows)),
    csv: () => queryCsv({columns: read.columns, rows: read.rows(Math.min(CSV_ROWS, table.numRows))})
  };
  return result;
}

/** Reads an Arrow result's rows as {@link QueryRow}s, on demand. */
function reader(table: Table): {columns: QueryColumn[]; rows: (n: number) => QueryRow[]} {
  const fields = table.schema.fields;
  const names = uniqueNames(fields.map((f) => f.name));
  const vectors = fields.map((_, j) => table.getChildAt(j)!);
  const convert = fields.map((f) => converter(f.type));
  return {
    columns: fields.map((f, j) => ({name: names[j], type: typeName(f.type)})),
    rows(n) {
      const rows: QueryRow[] = new Array(n);
      for (let i = 0; i < n; ++i) {
        const row: QueryRow = {};
        for (let j = 0; j < names.length; ++j) setField(row, names[j], convert[j](vectors[j].get(i)));
        rows[i] = row;
      }
      return rows;
    }
  };
}

function converter(type: DataType): (v: unknown) => QueryValue {
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return (v) => (v === null ? null : toQueryValue(new Date(Number(v))));
  if (DataType.isDecimal(type)) {
    const scale = (type as unknown as {scale: number}).scale ?? 0;
    return (v) => (v === null ? null : Number(String(v)) / 10 ** scale);
  }
  return toQueryValue;
}

/** The engine's type in DuckDB's words, from its Arrow type (a BIGINT arrives as a DOUBLE: duckdb.ts). */
function typeName(type: DataType): string {
  if (DataType.isInt(type)) return ({8: "TINYINT", 16: "SMALLINT", 32: "INTEGER", 64: "BIGINT"} as Record<number, string>)[type.bitWidth] ?? "BIGINT";
  if (DataType.isFloat(type)) return "DOUBLE";
  if (DataType.isDecimal(type)) return "DECIMAL";
  if (DataType.isDate(type)) return "DATE";
  if (DataType.isTimestamp(type)) return "TIMESTAMP";
  if (DataType.isUtf8(type)) return "VARCHAR";
  if (DataType.isBool(type)) return "BOOLEAN";
  return String(type).toUpperCase();
}
