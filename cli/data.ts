import {loadLeadsFile, type LoadedData} from "../loaders/load-data.js";
import {NodeConnector} from "../loaders/node-duckdb.js";
import type {Population} from "../src/lib/population.js";
import {choiceOption, dateOption, required, UsageError, type IO, type Options, type Values} from "./command.js";

/** Options shared by every command that reads a data file. */
export const DATA_OPTIONS: Options = {
  data: {type: "string"},
  threads: {type: "string"}
};

/** Options that restrict the population. */
export const POPULATION_OPTIONS: Options = {
  from: {type: "string"},
  to: {type: "string"},
  split: {type: "string"},
  "exclude-wirehouse": {type: "boolean"}
};

export const POPULATION_HELP = `  --from DATE        first contacted_date included (YYYY-MM-DD)
  --to DATE          last contacted_date included
  --split S          TRAIN, GAP or TEST
  --exclude-wirehouse  leave wirehouse leads out`;

/** Opens native DuckDB and loads --data into `leads`, printing data warnings to stderr. */
export async function openData(values: Values, io: IO): Promise<{conn: NodeConnector; data: LoadedData}> {
  const path = required(values, "data");
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new UsageError(`--threads must be a whole number ≥ 1`);
  const conn = await NodeConnector.open({threads});
  try {
    const data = await loadLeadsFile(conn, path);
    for (const w of data.warnings) io.stderr(`warning: ${w.message}`);
    return {conn, data};
  } catch (error) {
    conn.close();
    throw error;
  }
}

/** The population described by --from/--to/--split/--exclude-wirehouse. */
export function populationFrom(values: Values): Population {
  const from = dateOption(values, "from");
  const to = dateOption(values, "to");
  if (from && to && to < from) throw new UsageError(`--to (${to}) is before --from (${from})`);
  const split = values.split === undefined ? undefined : choiceOption({split: String(values.split).toUpperCase()}, "split", ["TRAIN", "GAP", "TEST"] as const, "TRAIN");
  return {from, to, split, excludeWirehouse: values["exclude-wirehouse"] === true || undefined};
}
