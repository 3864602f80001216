// Framework data loader: writes the validated leads table as ZSTD Parquet to stdout.
// Source: TIERLAB_BIGQUERY_TABLE (BigQuery), TIERLAB_DATA (a local .parquet/.csv), else synthetic.
import {createReadStream} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {discardTemp, tempPathFor} from "../../loaders/atomic.js";
import {copyToParquet} from "../../loaders/export.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {reportFailure} from "../../loaders/report-failure.js";
import {loadSource, sourceFromEnv} from "../../loaders/source.js";

const log = (message: string) => process.stderr.write(`leads.parquet: ${message}\n`);
const conn = await NodeConnector.open();
const temp = tempPathFor(join(tmpdir(), "leads.parquet"));
try {
  const {provenance, data} = await loadSource(conn, sourceFromEnv(), {log});
  for (const w of data.warnings) log(`warning: ${w.message}`);
  await copyToParquet(conn, temp, provenance);
  await pipeline(createReadStream(temp), process.stdout);
  log(`wrote ${data.rows.toLocaleString("en-US")} rows from ${provenance.source}`);
} catch (error) {
  process.exitCode = reportFailure(error, log);
} finally {
  await discardTemp(temp);
  conn.close();
}
