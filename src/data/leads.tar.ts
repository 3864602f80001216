// Framework data loader: writes the validated leads table to stdout as a tar archive holding
// leads.parquet (published, read by the command line), leads.duckdb (what the pages load) and
// leads.arrow (the columns the tier page counts its first numbers from); see loaders/leads-archive.ts.
// Source: TIERLAB_BIGQUERY_TABLE (BigQuery), TIERLAB_DATA (a local .parquet/.csv), else
// synthetic — read once for all three files.
import {writeLeadsArchive} from "../../loaders/leads-archive.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {reportFailure} from "../../loaders/report-failure.js";
import {siteReportFile, SITE_REPORT_MEMBER} from "../../loaders/site-report.js";
import {loadSource, sourceFromEnv} from "../../loaders/source.js";

const log = (message: string) => process.stderr.write(`leads.tar: ${message}\n`);
const conn = await NodeConnector.open();
try {
  const {provenance, data} = await loadSource(conn, sourceFromEnv(), {log});
  for (const w of data.warnings) log(`warning: ${w.message}`);
  // The report page's numbers, computed here from the same read (loaders/site-report.ts).
  const report = await siteReportFile(conn, provenance, log);
  await writeLeadsArchive(conn, provenance, process.stdout, "leads", [{name: SITE_REPORT_MEMBER, text: JSON.stringify(report)}]);
  log(`wrote ${data.rows.toLocaleString("en-US")} rows from ${provenance.source} (leads.parquet, leads.duckdb, leads.arrow and the report)`);
} catch (error) {
  process.exitCode = reportFailure(error, log);
} finally {
  conn.close();
}
