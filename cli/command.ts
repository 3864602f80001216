import {parseArgs, type ParseArgsConfig} from "node:util";
import {isIsoDate} from "../src/lib/dates.js";

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Usage lines and option descriptions, shown by --help. */
  help: string;
  options: Options;
  /** The name of the command's one positional argument (`query "SQL"`), stored in values under it; none when absent. */
  positional?: string;
  run(values: Values, io: IO): Promise<void>;
}

export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Replaces the BigQuery client (tests replay recorded responses). */
  bigqueryClient?: import("../loaders/bigquery-connector.js").BigQueryQueryClient;
}

/** Parses a command's arguments strictly: unknown options and stray arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): Values & {help?: boolean} {
  try {
    const {values, positionals} = parseArgs({args: argv, options: {...command.options, help: {type: "boolean", short: "h"}}, strict: true, allowPositionals: true});
    const allowed = command.positional ? 1 : 0;
    if (positionals.length > allowed) throw new UsageError(`unexpected argument "${positionals[allowed]}"`);
    return (command.positional ? {...values, [command.positional]: positionals[0]} : values) as Values & {help?: boolean};
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ""));
  }
}

/** A required string option. */
export function required(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

/** An optional YYYY-MM-DD option. */
export function dateOption(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!isIsoDate(v)) {
    throw new UsageError(`--${name} must be a date like 2024-06-30, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An optional choice among fixed values. */
export function choiceOption<T extends string>(values: Values, name: string, choices: readonly T[], fallback: T): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (!choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** An optional whole number ≥ min. */
export function intOption(values: Values, name: string, fallback: number, min = 0): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(String(v).replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}
