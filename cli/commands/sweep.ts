import {DataError} from "../../src/lib/data-contract.js";
import {describePopulation} from "../../src/lib/population.js";
import {sweepJson, sweepSql, ThresholdError} from "../../src/lib/tiers/sweep.js";
import {sweepToCsv, sweepToMarkdown} from "../../src/lib/tiers/sweep-table.js";
import {choiceOption, required, UsageError, type Command, type Values} from "../command.js";
import {DATA_OPTIONS, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine} from "../engine.js";
import {loadRules, presetIds} from "../rules.js";

/** `--values 5,10,20`: numbers, or a usage error. */
export function valuesOption(values: Values, name = "values"): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const parts = String(raw).split(",").map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.some((p) => p === "") || numbers.some((n) => !Number.isFinite(n))) throw new UsageError(`--${name} must be numbers separated by commas (e.g. 5,10,20), got ${JSON.stringify(raw)}`);
  return numbers;
}

/**
 * A threshold the request names that does not exist or cannot move is a usage mistake (exit 2,
 * the rule set itself is fine); a column whose values cannot be compared exactly is the data's (exit 1).
 */
export async function thresholdErrors<T>(source: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ThresholdError) throw error.kind === "data" ? new DataError(source, [{level: "error", message: error.message}]) : new UsageError(error.message);
    throw error;
  }
}

export const sweep: Command = {
  name: "sweep",
  summary: "what a tier gets as one numeric threshold moves across its values",
  help: `tierlab sweep (--data FILE | --engine bigquery --bigquery TABLE) --rules PRESET_OR_FILE --tier TIER_ID --condition N [--bound low|high] [--values v1,v2,…] ${POPULATION_USAGE} [--format json|md|csv]

For each candidate value of one threshold of one tier, everything else fixed: the tier's leads,
labeled leads, conversions, rate with its Wilson 95% interval and lift vs all leads — exactly what
\`tierlab report\` gives for that tier with the threshold set to the value (first match: leads an
earlier tier catches stay there, leads the tier releases fall to later tiers; the lift's base, the
population's rate, does not move). One aggregate query, whatever the number of values.

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
  --tier TIER_ID         the tier (not the fallback)
  --condition N          the condition's position in the tier's when (1-based), or A.N: condition
                         N of list A of its anyOf; it must be lt, lte, gt, gte, between or notBetween
  --bound low|high       which end of a between or notBetween moves (required for those, refused for others)
  --values v1,v2,…       the candidate values (default: every value the column takes in the
                         population, or 100 quantiles when it takes more, and the current value;
                         write --values=-5,0 when the first is negative)
${POPULATION_HELP}
  --format F             json (default), md or csv
${ENGINE_HELP}`,
  options: {...DATA_OPTIONS, ...POPULATION_OPTIONS, ...ENGINE_OPTIONS, rules: {type: "string"}, tier: {type: "string"}, condition: {type: "string"}, bound: {type: "string"}, values: {type: "string"}, format: {type: "string"}},
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md", "csv"] as const, "json");
    const population = populationFrom(values);
    const rulesSpec = required(values, "rules");
    const tier = required(values, "tier");
    const condition = required(values, "condition");
    const bound = values.bound === undefined ? null : choiceOption(values, "bound", ["low", "high"] as const, "low");
    const candidates = valuesOption(values);
    const engine = await openEngine(values, io);
    try {
      const rules = loadRules(rulesSpec, engine.columns);
      const result = await thresholdErrors(engine.table === "leads" ? String(values.data) : engine.table, () => sweepSql(engine.conn, rules, {tier, condition, bound, values: candidates}, {population, columns: engine.columns, table: engine.table}));
      io.stdout(format === "json" ? JSON.stringify(sweepJson(result), null, 2) : format === "md" ? sweepToMarkdown(result, describePopulation(population), rules.name) : sweepToCsv(result));
    } finally {
      engine.close();
    }
  }
};
