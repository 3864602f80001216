import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {backtestJson, parsePeriodsText, PeriodsError, runBacktest} from "../../src/lib/backtest/backtest.js";
import {backtestToMarkdown} from "../../src/lib/backtest/format.js";
import {resolveThresholds, type Thresholds} from "../../src/lib/tiers/gates.js";
import {maturityAnalysis} from "../../src/lib/backtest/maturity.js";
import {choiceOption, required, UsageError, type Command, type Values} from "../command.js";
import {DATA_OPTIONS, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine} from "../engine.js";
import {readReference} from "../reference.js";
import {parseSignalsConfig} from "../../src/lib/signals/signals.js";
import {DEFAULT_SIGNALS, readSignalsFile} from "./signals.js";
import {loadRules, presetIds} from "../rules.js";

export const DEFAULT_PERIODS = join(import.meta.dirname, "..", "..", "data", "periods.json");

/** Reads and validates a periods file; a missing file, bad JSON or bad periods is a {@link PeriodsError}. */
export function readPeriodsFile(path: string): ReturnType<typeof parsePeriodsText> {
  if (!existsSync(path)) throw new PeriodsError(["file not found"], `periods file ${path}`);
  return parsePeriodsText(readFileSync(path, "utf8"), `periods file ${path}`);
}

/** `--thresholds FILE`: a JSON object overriding some of the gate thresholds. */
function thresholdsOption(values: Values): Partial<Thresholds> | undefined {
  const path = values.thresholds;
  if (path === undefined) return undefined;
  if (typeof path !== "string" || !existsSync(path)) throw new UsageError(`--thresholds ${JSON.stringify(path)} is not an existing file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--thresholds ${path}: invalid JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UsageError(`--thresholds ${path}: expected an object like {"backtestMinMeanLift": 3}`);
  try {
    resolveThresholds(json as Partial<Thresholds>);
  } catch (error) {
    throw new UsageError(`--thresholds ${path}: ${(error as Error).message}`);
  }
  return json as Partial<Thresholds>;
}

export const backtest: Command = {
  name: "backtest",
  summary: "train-calibrated, test-evaluated tiers over the 2024 periods; lift stability and gates",
  help: `tierlab backtest --data FILE --rules PRESET_OR_FILE [--periods FILE] ${POPULATION_USAGE} [--format json|md]

For each period (data/periods.json: the seeds' four 2024 periods, or --periods FILE of the same
shape) the tier statistics of the train window (the calibration) and of the test window, each with
lift against its own window's rate; then every tier's and group's test lift across the periods
(mean, min, max, sample SD) and the gates: BACKTEST-1/2/3 on Tier 1 (the first group), and per
period test lift within 50% of train lift and the Tier 1 conversion shift. All periods and windows
come from one aggregate query. Per period also the PSI of the tier mix from the train to the test
window and the CSI of each band column of data/signals.json (its default bands, missing
included; a second aggregate query), with lights (< 0.10 stable, 0.10–0.25 watch, > 0.25
shifted), and the test window's AUC, Gini and KS, summarised across the periods. The population
options restrict every window (--from/--to cut them, --split keeps that split's leads).

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
  --periods FILE         periods file (default data/periods.json)
${POPULATION_HELP}
  --thresholds FILE      JSON object overriding gate thresholds (e.g. {"backtestMinMeanLift": 3.5})
  --format F             json (default) or md (md adds the days-to-MQL distribution when mql_date exists)
  --sql                  include the SQL that was run
${ENGINE_HELP}`,
  options: {
    ...DATA_OPTIONS,
    ...POPULATION_OPTIONS,
    ...ENGINE_OPTIONS,
    rules: {type: "string"},
    periods: {type: "string"},
    thresholds: {type: "string"},
    format: {type: "string"},
    sql: {type: "boolean"}
  },
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md"] as const, "json");
    const rulesSpec = required(values, "rules");
    const population = populationFrom(values);
    const thresholds = thresholdsOption(values);
    const {periods, warnings} = readPeriodsFile(typeof values.periods === "string" ? values.periods : DEFAULT_PERIODS);
    for (const w of warnings) io.stderr(`warning: ${w}`);
    const engine = await openEngine(values, io);
    const {conn, columns, table} = engine;
    try {
      const rules = loadRules(rulesSpec, columns);
      const bands = parseSignalsConfig(readSignalsFile(DEFAULT_SIGNALS)).bands;
      const bt = await runBacktest(conn, rules, periods, {...population, thresholds, columns, table, bands});
      if (format === "json") {
        io.stdout(JSON.stringify({...backtestJson(bt), ...(values.sql ? {sql: bt.sql} : {})}, null, 2));
      } else {
        const maturity = await maturityAnalysis(conn, population, {columns, table});
        const text = backtestToMarkdown(bt, {maturity, publishedMaturity: readReference().maturity});
        io.stdout(values.sql ? `${text}\n## SQL\n\n\`\`\`sql\n${bt.sql};\n\`\`\`\n` : text);
      }
    } finally {
      engine.close();
    }
  }
};
