import {join} from "node:path";
import {readSiteConfig} from "../../loaders/site-config.js";
import type {NodeConnector} from "../../loaders/node-duckdb.js";
import {QueryError} from "../../src/lib/connector.js";
import {lockDown, runReadOnly} from "../../src/lib/query/guard.js";
import {queryCsv, queryJson, queryMarkdown, type QueryResult} from "../../src/lib/query/result.js";
import {scoredLeadsViewSql} from "../../src/lib/query/scored-view.js";
import {setField, toQueryValue, uniqueNames, type QueryRow} from "../../src/lib/query/values.js";
import {choiceOption, UsageError, type Command} from "../command.js";
import {DATA_OPTIONS, openData} from "../data.js";
import {loadRules, presetIds} from "../rules.js";

/** The project root: where the site's configuration is read, as the build reads it. */
const ROOT = join(import.meta.dirname, "..", "..");

export const query: Command = {
  name: "query",
  summary: "run your own SQL on the leads (read only), as on the Explore page",
  help: `tierlab query --data FILE [--rules R] [--format json|md|csv] "SQL"

Runs one SELECT on the data file, natively, with the Explore page's two names:
  leads          the data as loaded
  scored_leads   leads plus a tier column from the rule set's CASE
The SQL only reads: other statements are refused, and files, URLs, ATTACH and extensions are
switched off once the data is loaded. JSON is an array of row objects (BIGINT as a number when
it fits a double exactly, else as text; dates as YYYY-MM-DD).

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
                         (default: the site's, from tierlab.config.json: ${readSiteConfig(ROOT).rules})
  --format F             json (default), md or csv`,
  options: {...DATA_OPTIONS, rules: {type: "string"}, format: {type: "string"}},
  positional: "sql",
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md", "csv"] as const, "json");
    const sql = values.sql;
    if (typeof sql !== "string" || sql.trim() === "") throw new UsageError(`give the SQL as the last argument, e.g. "SELECT tier, COUNT(*) FROM scored_leads GROUP BY tier"`);
    const rulesSpec = typeof values.rules === "string" ? values.rules : readSiteConfig(ROOT).rules;
    if (!presetIds().includes(rulesSpec)) loadRules(rulesSpec); // (a missing file is a usage error before the data loads)
    const {conn, data} = await openData(values, io);
    try {
      try {
        await conn.query(scoredLeadsViewSql(loadRules(rulesSpec, data.columns), data.columns));
      } catch (error) {
        // The site's rule set may not fit a file without its columns: leads can still be queried.
        if (values.rules !== undefined || !(error instanceof Error && error.name === "RuleSetError")) throw error;
        io.stderr(`warning: no scored_leads: ${error.message.split("\n")[0]}`);
      }
      await lockDown(conn);
      const result = await runReadOnly(sql, (checked) => readResult(conn, checked));
      io.stdout(format === "json" ? queryJson(result) : format === "md" ? queryMarkdown(result) : queryCsv(result));
    } finally {
      conn.close();
    }
  }
};

/** Runs the SQL on native DuckDB and reads every row with its column types. */
async function readResult(conn: NodeConnector, sql: string): Promise<QueryResult> {
  let reader;
  try {
    reader = await conn.connection.runAndReadAll(sql);
  } catch (error) {
    throw new QueryError(error instanceof Error ? error.message : String(error), sql, {cause: error});
  }
  const names = uniqueNames(reader.columnNames());
  const types = reader.columnTypes().map(String);
  const rows = reader.getRowsJS().map((values) => {
    const row: QueryRow = {};
    names.forEach((name, i) => setField(row, name, toQueryValue(values[i])));
    return row;
  });
  return {columns: names.map((name, i) => ({name, type: types[i]})), rows};
}
