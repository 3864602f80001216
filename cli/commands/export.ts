import {NodeConnector} from "../../loaders/node-duckdb.js";
import {writeLeadsParquet} from "../../loaders/export.js";
import {required, UsageError, type Command} from "../command.js";

export const exportCommand: Command = {
  name: "export",
  summary: "export the leads table from BigQuery to Parquet",
  help: `tierlab export --bigquery PROJECT.DATASET.TABLE [--query SQL] [--location LOC] --out FILE.parquet

Reads the table with Application Default Credentials (gcloud auth application-default login, or
GOOGLE_APPLICATION_CREDENTIALS). Tables up to 50,000 rows come as JSON rows, larger ones as Arrow
through the BigQuery Storage Read API. The result is validated against the data contract and
written atomically: a failed or interrupted export leaves any previous file untouched.

  --bigquery TABLE   source table (project.dataset.table)
  --query SQL        optional custom SELECT (its result is exported instead of the table)
  --location LOC     dataset location, e.g. northamerica-northeast2
  --out FILE         output Parquet file`,
  options: {bigquery: {type: "string"}, query: {type: "string"}, location: {type: "string"}, out: {type: "string"}},
  async run(values, io) {
    const table = required(values, "bigquery");
    const out = required(values, "out");
    if (!out.endsWith(".parquet")) throw new UsageError(`--out must name a .parquet file, got ${JSON.stringify(out)}`);
    // (Loaded here: the data sources bring the BigQuery client and Parquet writer, which other commands need not load.)
    const {loadSource} = await import("../../loaders/source.js");
    const conn = await NodeConnector.open();
    try {
      const {provenance, data} = await loadSource(
        conn,
        {kind: "bigquery", table, query: values.query as string | undefined, location: values.location as string | undefined},
        {log: (m) => io.stderr(m)}
      );
      for (const w of data.warnings) io.stderr(`warning: ${w.message}`);
      await writeLeadsParquet(conn, out, provenance);
      io.stderr(`wrote ${data.rows.toLocaleString("en-US")} leads to ${out}`);
    } finally {
      conn.close();
    }
  }
};
