// BigQuery is not reachable from the development machines: this stand-in client records the SQL
// the CLI sends and answers it by running it on DuckDB (table `leads`) after swapping the dialect's
// quoting and type names, so a test proves the BigQuery text is the query the DuckDB engine runs.
import type {BigQueryQueryClient} from "../../loaders/bigquery-connector.js";
import type {NodeConnector} from "../../loaders/node-duckdb.js";

/** BigQuery Standard SQL → DuckDB for the constructs the compiler emits. */
export function bigQueryToDuckDb(sql: string, table: string): string {
  return sql.replaceAll("`" + table + "`", "leads").replace(/`([^`]*)`/g, (_, name) => `"${name}"`).replace(/\bINT64\b/g, "BIGINT").replace(/\bFLOAT64\b/g, "DOUBLE")
    // BigQuery's DATE_DIFF(end, start, DAY) is DuckDB's date_diff('day', start, end) (the maturity query).
    .replace(/\bDATE_DIFF\(([^,()]+), ([^,()]+), DAY\)/g, "DATE_DIFF('day', $2, $1)");
}

/** A client for `table` whose queries run on `conn()`'s `leads`; every query text is pushed onto `sent`. */
export function bigQueryStandIn(conn: () => NodeConnector, table: string, sent: string[]): BigQueryQueryClient {
  return {
    async query({query}) {
      sent.push(query);
      const rows = await conn().query(bigQueryToDuckDb(query, table));
      // BigQuery's client returns INT64 as numbers and DATE as {value}.
      return [rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? {value: v} : v])))];
    },
    dataset: () => ({
      table: () => ({
        async getMetadata() {
          const cols = await conn().query(`DESCRIBE leads`);
          const bq = (t: string) => (/INT/.test(t) ? "INT64" : /DOUBLE|FLOAT/.test(t) ? "FLOAT64" : t === "DATE" ? "DATE" : "STRING");
          return [{schema: {fields: cols.map((c) => ({name: String(c.column_name), type: bq(String(c.column_type))}))}}];
        }
      })
    })
  };
}
