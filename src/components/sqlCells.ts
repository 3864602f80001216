/**
 * SQL cells on any page, offline: Framework compiles a ```sql block to
 * `display(Inputs.table(await sql`…`, {select: false}))` (with `id=name`, `const name = …`), where
 * `sql` and `Inputs` would be implicit globals loading DuckDB from a CDN. A page defines both
 * itself instead, in one cell:
 *
 *   const {sql, Inputs} = sqlCells({leads: FileAttachment("data/leads/leads.duckdb"), config: FileAttachment("data/config.json")});
 *
 * `sql` runs on this site's engine (started from <head>, the leads attached, locked down) with
 * `leads` and `scored_leads`; a `${…}` is a bound value, never SQL text. It returns the rows (an
 * array of objects, as `tierlab query` prints them); `Inputs.table` of them is the query's table
 * with "Download CSV", and every other input is Observable Inputs' own. A failure shows the
 * engine's message and the SQL in the cell.
 */
import * as ObservableInputs from "@observablehq/inputs";
import "./inputsStyle.js";
import type {RuleSet} from "../lib/rules/types.js";
import type {QueryRow} from "../lib/query/values.js";
import {loadLeads} from "./duckdb.js";
import {openSession, runQuery, type BrowserResult, type QuerySession} from "./sqlEngine.js";
import {sqlTable} from "./sqlTable.js";
import {readUrlState} from "./workbenchState.js";

export interface SqlCellFiles {
  /** `FileAttachment("data/leads/leads.duckdb")` */
  leads: {arrayBuffer(): Promise<ArrayBuffer>};
  /** `FileAttachment("data/config.json")`: the site's rule set for `scored_leads` (a link's edited rules win). */
  config: {json(): Promise<unknown>};
}

interface SiteConfigFile {
  site: {rules: string};
  presets: Record<string, RuleSet>;
}

/** The result behind the rows a `sql` call returned (Inputs.table shows it). */
const RESULT = Symbol("tierlab query result");
type Rows = QueryRow[] & {[RESULT]?: BrowserResult};

/** A SQL cell's failure as the cell shows it: the engine's message, then the SQL. */
export class SqlCellError extends Error {
  constructor(message: string, readonly sql: string) {
    super(`${message}\n\n${sql.trim()}`);
    this.name = "SQL error";
  }
}

/** Opens the session (the engine, `leads`, `scored_leads`) at once; returns the page's `sql` and `Inputs`. */
export function sqlCells(files: SqlCellFiles) {
  const session: Promise<QuerySession> = (async () => {
    const [loaded, config, fromUrl] = await Promise.all([loadLeads(files.leads.arrayBuffer()), files.config.json() as Promise<SiteConfigFile>, readUrlState()]);
    return openSession(loaded.conn, (fromUrl.state?.rules as RuleSet | undefined) ?? config.presets[config.site.rules]);
  })();
  session.catch(() => {}); // (each cell reports it)

  async function sql(strings: TemplateStringsArray, ...params: unknown[]): Promise<QueryRow[]> {
    const text = strings.join("?");
    try {
      const {conn} = await session;
      const result = await runQuery(conn, text, params);
      const rows: Rows = result.all();
      Object.defineProperty(rows, RESULT, {value: result});
      return rows;
    } catch (error) {
      throw new SqlCellError(error instanceof Error ? error.message : String(error), text);
    }
  }

  let tables = 0;
  /** A `sql` result as its query table; anything else as Observable Inputs' table. */
  function table(data: unknown, options?: Record<string, unknown>): HTMLElement {
    const result = (data as Rows | null)?.[RESULT];
    if (result) return sqlTable(result, {csvName: `query-${++tables}.csv`});
    return ObservableInputs.table(data, options);
  }

  return {sql, Inputs: {...ObservableInputs, table}};
}
