/**
 * BigQuery behind the {@link Connector} interface: the same compiled SQL (BigQuery dialect) runs
 * in BigQuery and only aggregates come back — for tables far beyond what a browser can hold.
 */
import {BigQuery} from "@google-cloud/bigquery";
import {columnKind, type ColumnInfo} from "../src/lib/column-info.js";
import {normalizeValue, QueryError, type Connector, type Row} from "../src/lib/connector.js";
import {describeBigQueryError, parseTableRef, type SchemaField} from "./bigquery.js";

/** The subset of `@google-cloud/bigquery` used to run queries and read a schema. */
export interface BigQueryQueryClient {
  query(options: {query: string; location?: string; useLegacySql?: boolean}): Promise<[Record<string, unknown>[], ...unknown[]]>;
  dataset(id: string, options?: {projectId?: string}): {table(id: string): {getMetadata(): Promise<[{schema?: {fields?: SchemaField[]}}, ...unknown[]]>}};
}

export class BigQueryConnector implements Connector {
  readonly dialect = "bigquery" as const;
  /** Every SQL statement sent, in order (shown with --sql, checked by tests). */
  readonly sent: string[] = [];

  constructor(
    readonly table: string,
    private readonly client: BigQueryQueryClient = new BigQuery({projectId: parseTableRef(table).projectId}) as unknown as BigQueryQueryClient,
    private readonly location?: string
  ) {}

  async query(sql: string): Promise<Row[]> {
    this.sent.push(sql);
    let rows: Record<string, unknown>[];
    try {
      [rows] = await this.client.query({query: sql, location: this.location, useLegacySql: false});
    } catch (error) {
      throw new QueryError(describeBigQueryError(error, this.table), sql, {cause: error});
    }
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalizeValue(unwrap(v))])));
  }

  /** The table's columns from its BigQuery schema. */
  async columns(): Promise<ColumnInfo[]> {
    const ref = parseTableRef(this.table);
    try {
      const [meta] = await this.client.dataset(ref.datasetId, {projectId: ref.projectId}).table(ref.tableId).getMetadata();
      return (meta.schema?.fields ?? []).map((f) => ({name: f.name, type: f.type, kind: columnKind(f.type)}));
    } catch (error) {
      throw new QueryError(describeBigQueryError(error, this.table), `-- schema of ${this.table}`, {cause: error});
    }
  }
}

/** BigQuery wraps DATE, TIMESTAMP and NUMERIC values as `{value}`; big integers may be strings. */
function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "value" in value) return (value as {value: unknown}).value;
  return value;
}
