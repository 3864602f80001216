import {loadLeadsFile, type LoadedData} from "../loaders/load-data.js";
import {NodeConnector} from "../loaders/node-duckdb.js";
import {PopulationError, resolvePopulation, type Population} from "../src/lib/population.js";
import {choiceOption, dateOption, intOption, required, UsageError, type IO, type Options, type Values} from "./command.js";

/** Options shared by every command that reads a data file. */
export const DATA_OPTIONS: Options = {
  data: {type: "string"},
  threads: {type: "string"}
};

/** The population options, the same for every command that counts leads (the pages' population controls). */
export const POPULATION_OPTIONS: Options = {
  from: {type: "string"},
  to: {type: "string"},
  split: {type: "string"},
  "exclude-wirehouse": {type: "boolean"},
  "analysis-date": {type: "string"},
  "maturity-days": {type: "string"}
};

/** The population options in a usage line. */
export const POPULATION_USAGE = "[--from DATE] [--to DATE] [--split S] [--exclude-wirehouse] [--analysis-date DATE [--maturity-days DAYS]]";

export const POPULATION_HELP = `  --from DATE            first contacted_date included (YYYY-MM-DD)
  --to DATE              last contacted_date included
  --split S              TRAIN, GAP or TEST
  --exclude-wirehouse    leave wirehouse leads out
  --analysis-date DATE   maturity: leads contacted after DATE − DAYS count in volume only
  --maturity-days DAYS   the maturity window (needs --analysis-date; default 0)`;

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

/**
 * The population of {@link POPULATION_OPTIONS}, through the pages' resolvePopulation. The command
 * line has no site defaults: without --analysis-date only the data's own NULL targets are unlabeled.
 */
export function populationFrom(values: Values): Population {
  const from = dateOption(values, "from");
  const to = dateOption(values, "to");
  if (from && to && to < from) throw new UsageError(`--to (${to}) is before --from (${from})`);
  const split = values.split === undefined ? undefined : choiceOption({split: String(values.split).toUpperCase()}, "split", ["TRAIN", "GAP", "TEST"] as const, "TRAIN");
  const analysisDate = dateOption(values, "analysis-date");
  const maturityDays = values["maturity-days"] === undefined ? undefined : intOption(values, "maturity-days", 0, 0);
  // The pages drop a window without a date (the controls say so); a command line refuses it.
  if (maturityDays !== undefined && !analysisDate) throw new UsageError("--maturity-days needs --analysis-date (the window is counted back from it)");
  try {
    return resolvePopulation({}, {from, to, split, excludeWirehouse: values["exclude-wirehouse"] === true, analysisDate, maturityDays});
  } catch (error) {
    throw error instanceof PopulationError ? new UsageError(error.message) : error;
  }
}
