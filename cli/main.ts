import {reportFailure} from "../loaders/report-failure.js";
import {parseCommandArgs, UsageError, type Command, type IO} from "./command.js";
import {backtest} from "./commands/backtest.js";
import {exportCommand} from "./commands/export.js";
import {generate} from "./commands/generate.js";
import {inspect} from "./commands/inspect.js";
import {query} from "./commands/query.js";
import {report} from "./commands/report.js";
import {signals} from "./commands/signals.js";
import {sql} from "./commands/sql.js";
import {sweep} from "./commands/sweep.js";
import {tune} from "./commands/tune.js";

export const COMMANDS: Command[] = [generate, exportCommand, inspect, report, sql, signals, backtest, sweep, tune, query];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `tierlab: rules-based lead-scoring tiers from the command line (native DuckDB)

Usage: npx tierlab <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run "npx tierlab <command> --help" for a command's options.`;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: IO = {stdout: (t) => process.stdout.write(t.endsWith("\n") ? t : t + "\n"), stderr: (t) => process.stderr.write(t + "\n")}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`error: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const values = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout(command.help);
      return 0;
    }
    await command.run(values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${command.help}`);
      return 2;
    }
    return reportFailure(error, io.stderr);
  }
}
