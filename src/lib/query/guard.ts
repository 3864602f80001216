/**
 * What an analyst's own SQL may do: read. A published site may hold private data and a link may
 * come from anyone, so (1) the engine is locked down once the data is attached (no file, URL,
 * ATTACH, COPY or extension install, and no setting can be changed back), and (2) each query is
 * checked before it runs (statements.ts): a statement that could drop or change `leads` or
 * `scored_leads` is refused.
 */
import {QueryError, type Connector} from "../connector.js";
import {splitStatements} from "./statements.js";

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

/** What an analyst's statement may start with: the statements that only read. */
export const READ_STARTS = ["SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SUMMARIZE", "SHOW"] as const;
export const READ_STATEMENTS = "SELECT, WITH … SELECT, FROM …, VALUES, TABLE, DESCRIBE, SUMMARIZE or SHOW";

/**
 * Words that make a statement write or reach outside the data when they stand at its top level
 * (a WITH may lead to an INSERT; DuckDB has no writing subqueries, so deeper down they cannot).
 */
const WRITES = new Set(["INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "ATTACH", "DETACH", "COPY", "EXPORT", "IMPORT", "INSTALL", "LOAD", "TRUNCATE", "PRAGMA", "CALL", "SET", "RESET"]);

/**
 * Refuses, with a message that says why, anything but one statement that only reads: it must
 * start with a reading word ({@link READ_STARTS}) and hold no writing word ({@link WRITES}) at its
 * top level. A syntax error is left to the engine, which reports it with its position (and runs
 * nothing of a text it cannot parse).
 */
export function checkReadOnly(sql: string): void {
  const statements = splitStatements(sql);
  if (statements.length === 0) throw new AnalystQueryError("The query is empty: write a SELECT statement", sql, true);
  if (statements.length > 1) throw new AnalystQueryError(`One statement at a time: this text holds ${statements.length} (separated by ";")`, sql, true);
  const [{words, first}] = statements;
  const reads = (READ_STARTS as readonly string[]).includes(first);
  const writes = words.find((w) => WRITES.has(w));
  if (reads && !writes) return;
  const keyword = (reads ? writes : first) || "This statement";
  const hint = reads ? ` (a column named ${keyword.toLowerCase()} is written in double quotes)` : keyword === "PIVOT" || keyword === "UNPIVOT" ? `; write SELECT * FROM (${keyword} …)` : "";
  throw new AnalystQueryError(
    `${keyword} is not allowed: queries here only read the data (${READ_STATEMENTS}), so that leads and scored_leads stay as loaded${hint}`,
    sql,
    true
  );
}

/** Runs an analyst's query with `execute` once {@link checkReadOnly} has let it through. */
export async function runReadOnly<T>(sql: string, execute: (sql: string) => Promise<T>): Promise<T> {
  checkReadOnly(sql);
  try {
    return await execute(sql);
  } catch (error) {
    // The engine's own failures of this SQL (an engine that stopped is not the analyst's doing).
    if (error instanceof QueryError && error.name === "QueryError") throw new AnalystQueryError(withoutRepeats(error.message), sql);
    throw error;
  }
}

/** Switches external access off and locks the configuration ({@link LOCKDOWN_SQL}), one statement per query. */
export async function lockDown(conn: Connector): Promise<void> {
  for (const statement of LOCKDOWN_SQL.split("; ")) await conn.query(statement);
}

/** An engine message with a paragraph repeated at once said once (DuckDB-WASM repeats the "LINE n: … ^" part). */
export function withoutRepeats(message: string): string {
  return message
    .split("\n\n")
    .filter((part, i, parts) => i === 0 || part !== parts[i - 1])
    .join("\n\n");
}
