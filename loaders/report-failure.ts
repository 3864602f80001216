import {QueryError} from "../src/lib/connector.js";
import {DataError} from "../src/lib/data-contract.js";

/** Errors a user can fix: shown as one message, without a stack trace. */
export function isUserError(error: unknown): boolean {
  return (
    error instanceof DataError ||
    // (By name, as the others: importing the BigQuery client here would load it on every command.)
    (error instanceof Error && ["BigQueryExportError", "RuleSetError", "UsageError", "PeriodsError", "SignalsError", "SqlTextError", "PermalinkError", "AnalystQueryError", "ChromiumError"].includes(error.name))
  );
}

/** Prints a failure (user errors as one readable message, bugs with their stack) and returns the exit code. */
export function reportFailure(error: unknown, log: (message: string) => void = (m) => process.stderr.write(m + "\n")): number {
  if (isUserError(error)) {
    const e = error as Error & {issues?: string[]; problems?: {level: string; message: string}[]};
    log(`error: ${e.message}`);
    const details = e.issues ?? e.problems?.filter((p) => p.level === "error").map((p) => p.message) ?? [];
    // A message that already lists its issues (RuleSetError's does) is not followed by them again.
    if (details.length > 1 && !details.every((d) => e.message.includes(d))) for (const d of details) log(`  - ${d}`);
    return 1;
  }
  if (error instanceof QueryError) {
    log(`error: query failed: ${error.message.split("\n")[0]}\n  SQL: ${error.sql}`);
    return 1;
  }
  log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}
