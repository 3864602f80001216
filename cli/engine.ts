import type {ColumnInfo} from "../src/lib/column-info.js";
import type {Connector} from "../src/lib/connector.js";
import {choiceOption, UsageError, type IO, type Options, type Values} from "./command.js";
import {openData} from "./data.js";

/** Options of commands that can run on native DuckDB (a file) or in BigQuery (a table). */
export const ENGINE_OPTIONS: Options = {
  engine: {type: "string"},
  bigquery: {type: "string"},
  location: {type: "string"}
};

export const ENGINE_HELP = `  --engine E         duckdb (default: native DuckDB on --data) or bigquery (runs the same SQL
                     in BigQuery on --bigquery PROJECT.DATASET.TABLE; only aggregates come back)
  --bigquery TABLE   the BigQuery table for --engine bigquery (Application Default Credentials)
  --location LOC     the BigQuery dataset location`;

export interface Engine {
  conn: Connector;
  columns: ColumnInfo[];
  /** The table the SQL reads (`leads` locally, the BigQuery table path otherwise). */
  table: string;
  close(): void;
}

/** Opens the engine chosen by --engine (io.bigqueryClient lets tests replace BigQuery). */
export async function openEngine(values: Values, io: IO): Promise<Engine> {
  const engine = choiceOption(values, "engine", ["duckdb", "bigquery"] as const, "duckdb");
  if (engine === "duckdb") {
    if (values.bigquery) throw new UsageError(`--bigquery needs --engine bigquery`);
    const {conn, data} = await openData(values, io);
    return {conn, columns: data.columns, table: "leads", close: () => conn.close()};
  }
  if (values.data) throw new UsageError(`--engine bigquery reads --bigquery TABLE, not --data`);
  const table = values.bigquery;
  if (typeof table !== "string" || !table) throw new UsageError(`--engine bigquery needs --bigquery PROJECT.DATASET.TABLE`);
  // (Loaded here: the BigQuery client takes a quarter of a second to import, which DuckDB runs need not pay.)
  const {BigQueryConnector} = await import("../loaders/bigquery-connector.js");
  const conn = new BigQueryConnector(table, io.bigqueryClient, values.location as string | undefined);
  return {conn, columns: await conn.columns(), table, close: () => {}};
}
