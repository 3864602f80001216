/**
 * What an analyst's own SQL may do: read. A published site may hold private data and a link may
 * come from anyone, so (1) the engine is locked down once the data is attached (no file, URL,
 * ATTACH, COPY or extension install, and no setting can be changed back), and (2) each query is
 * checked by DuckDB's own parser (`json_serialize_sql`, which serializes SELECT statements only)
 * before it runs: a statement that could drop or change `leads` or `scored_leads` is refused.
 */
import {QueryError, type Connector} from "../connector.js";
import {literal} from "../sql.js";

/**
 * Run once the data is attached and the views exist. Both settings are one-way: with the
 * configuration locked, external access cannot be switched back on.
 */
export const LOCKDOWN_SQL = "SET enable_external_access = false; SET lock_configuration = true";

/**
 * An analyst's query that failed through no fault of tierlab: refused before it ran (`refused`:
 * it would write, or it is not one statement) or failed in the engine (the engine's own message,
 * with the position when it gives one). Shown as one message, without a stack trace.
 */
export class AnalystQueryError extends QueryError {
  constructor(
    message: string,
    sql: string,
    readonly refused = false
  ) {
    super(message, sql);
    this.name = "AnalystQueryError";
  }
}

/** The statements an analyst's query may be: the ones DuckDB parses as a SELECT. */
export const READ_STATEMENTS = "SELECT, WITH … SELECT, FROM …, VALUES, TABLE, DESCRIBE, SUMMARIZE or SHOW";

/** The first word of the SQL, past comments and parentheses ("DROP", "INSERT"), for the message. */
export function firstKeyword(sql: string): string {
  const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").replace(/^[\s(;]+/, "");
  return (/^[A-Za-z_]+/.exec(text)?.[0] ?? "").toUpperCase();
}

interface Serialized {
  error?: boolean;
  error_type?: string;
  error_message?: string;
  statements?: unknown[];
}

/**
 * Refuses, with a message that says why, anything but one statement that only reads. A syntax
 * error passes (the engine then reports it with its position, and nothing of it runs: DuckDB
 * parses the whole text before running any of it).
 */
export async function checkReadOnly(conn: Connector, sql: string): Promise<void> {
  const [row] = await conn.query(`SELECT json_serialize_sql(${literal(sql)}) AS parsed`);
  const parsed = JSON.parse(String(row.parsed)) as Serialized;
  if (parsed.error) {
    if (parsed.error_type === "parser") return;
    const keyword = firstKeyword(sql);
    throw new AnalystQueryError(
      `${keyword ? `${keyword} is not allowed` : "This statement is not allowed"}: queries here only read the data (${READ_STATEMENTS}), so that leads and scored_leads stay as loaded${keyword === "PIVOT" || keyword === "UNPIVOT" ? `; write SELECT * FROM (${keyword} …)` : ""}`,
      sql,
      true
    );
  }
  const count = parsed.statements?.length ?? 0;
  if (count === 0) throw new AnalystQueryError("The query is empty: write a SELECT statement", sql, true);
  if (count > 1) throw new AnalystQueryError(`One statement at a time: this text holds ${count} (separated by ";")`, sql, true);
}

/** Runs an analyst's query with `execute` once {@link checkReadOnly} has let it through. */
export async function runReadOnly<T>(conn: Connector, sql: string, execute: (sql: string) => Promise<T>): Promise<T> {
  await checkReadOnly(conn, sql);
  try {
    return await execute(sql);
  } catch (error) {
    // The engine's own failures of this SQL (an engine that stopped is not the analyst's doing).
    if (error instanceof QueryError && error.name === "QueryError") throw new AnalystQueryError(error.message, sql);
    throw error;
  }
}

/** Switches external access off and locks the configuration ({@link LOCKDOWN_SQL}), one statement per query. */
export async function lockDown(conn: Connector): Promise<void> {
  for (const statement of LOCKDOWN_SQL.split("; ")) await conn.query(statement);
}
