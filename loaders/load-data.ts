import {existsSync, openSync, readSync, closeSync, statSync} from "node:fs";
import {extname} from "node:path";
import type {ColumnInfo} from "../src/lib/column-info.js";
import {QueryError} from "../src/lib/connector.js";
import {checkColumns, checkValues, DataError, describeColumns, normalizedSelect, type Problem} from "../src/lib/data-contract.js";
import {literal, quoteTable} from "../src/lib/sql.js";
import type {NodeConnector} from "./node-duckdb.js";

export interface LoadedData {
  rows: number;
  columns: ColumnInfo[];
  /** Warnings (duplicate ids, empty optional columns); errors throw a DataError instead. */
  warnings: Problem[];
}

/** Detects Parquet (PAR1 magic at both ends) or CSV (by extension) and says why not otherwise. */
export function detectFormat(path: string): "parquet" | "csv" {
  if (!existsSync(path)) throw new DataError(path, [{level: "error", message: "file not found"}]);
  const stat = statSync(path);
  if (stat.isDirectory()) throw new DataError(path, [{level: "error", message: "is a directory, not a data file"}]);
  const ext = extname(path).toLowerCase();
  const head = Buffer.alloc(4);
  const tail = Buffer.alloc(4);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 4, 0);
    if (stat.size >= 8) readSync(fd, tail, 0, 4, stat.size - 4);
  } finally {
    closeSync(fd);
  }
  const isParquetHead = head.toString("latin1") === "PAR1";
  if (isParquetHead) {
    if (tail.toString("latin1") !== "PAR1") {
      throw new DataError(path, [{level: "error", message: "the Parquet file is truncated or damaged (no footer); export it again"}]);
    }
    return "parquet";
  }
  if (ext === ".parquet") throw new DataError(path, [{level: "error", message: "is not a Parquet file (it does not start with the PAR1 signature)"}]);
  if (ext === ".csv" || ext === ".tsv" || ext === ".txt") {
    if (stat.size === 0) throw new DataError(path, [{level: "error", message: "the file is empty (zero bytes)"}]);
    return "csv";
  }
  throw new DataError(path, [{level: "error", message: `unsupported file type "${ext || "(none)"}"; give a .parquet or .csv file`}]);
}

/**
 * Loads a Parquet or CSV file into the table `leads`, validating it against the data contract.
 * Throws a {@link DataError} listing every problem when the data cannot be used.
 */
export async function loadLeadsFile(conn: NodeConnector, path: string, table = "leads"): Promise<LoadedData> {
  const format = detectFormat(path);
  const raw = `${table}_raw`;
  // A Parquet file is checked where it lies (a view: its scans read only the columns a check needs)
  // and copied once; a CSV file is parsed once into a temporary table first.
  const readError = (error: unknown) =>
    new DataError(path, [{level: "error", message: `could not be read as ${format.toUpperCase()}: ${error instanceof QueryError ? firstLine(error.message) : String(error)}`}]);
  const reading = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (format === "parquet" && error instanceof QueryError) throw readError(error);
      throw error;
    }
  };
  const drop = () => conn.run(format === "parquet" ? `DROP VIEW IF EXISTS ${quoteTable(raw)}` : `DROP TABLE IF EXISTS ${quoteTable(raw)}`);
  try {
    await conn.run(
      format === "parquet"
        ? `CREATE OR REPLACE TEMP VIEW ${quoteTable(raw)} AS SELECT * FROM read_parquet(${literal(path)})`
        : `CREATE OR REPLACE TEMP TABLE ${quoteTable(raw)} AS SELECT * FROM read_csv(${literal(path)}, header = true, sample_size = -1)`
    );
  } catch (error) {
    if (error instanceof QueryError) throw readError(error);
    throw error;
  }
  const problems = await reading(async () => {
    const [{n: rawRows}] = await conn.query(`SELECT COUNT(*) AS n FROM ${quoteTable(raw)}`);
    if (Number(rawRows) === 0) return [{level: "error", message: "the data has zero rows"} as Problem];
    const columns = await describeColumns(conn, quoteTable(raw));
    const found = checkColumns(columns);
    if (!found.some((p) => p.level === "error")) found.push(...(await checkValues(conn, raw, columns)));
    if (!found.some((p) => p.level === "error")) {
      await conn.run(`CREATE OR REPLACE TABLE ${quoteTable(table)} AS SELECT ${normalizedSelect(columns)} FROM ${quoteTable(raw)}`);
    }
    return found;
  }).finally(drop);
  if (problems.some((p) => p.level === "error")) throw new DataError(path, problems);
  const [{n}] = await conn.query(`SELECT COUNT(*) AS n FROM ${quoteTable(table)}`);
  return {rows: Number(n), columns: await describeColumns(conn, quoteTable(table)), warnings: problems};
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/^(IO|Invalid Input|Conversion|Parser) Error: /, "");
}
