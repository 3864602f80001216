import {tierReport} from "../../src/lib/tiers/report.js";
import {reportToCsv, reportToMarkdown} from "../../src/lib/tiers/format.js";
import {choiceOption, required, type Command} from "../command.js";
import {DATA_OPTIONS, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine} from "../engine.js";
import {loadRules, presetIds} from "../rules.js";

export const report: Command = {
  name: "report",
  summary: "tier statistics and gates for a rule set",
  help: `tierlab report (--data FILE | --engine bigquery --bigquery TABLE) --rules PRESET_OR_FILE ${POPULATION_USAGE} [--format json|md|csv]

Per tier and group: leads, labeled, conversions, rate with its Wilson 95% interval, share, lift vs
all leads, lift vs the fallback tier, a two-proportion test against the fallback (Holm-corrected),
the under-50 flag; the lift's Katz interval; the gains (tiers in rule order, cumulated) with the
AUC, Gini and KS of the tier order; then the gates (docs/statistics.md).

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
${POPULATION_HELP}
  --format F             json (default), md or csv
${ENGINE_HELP}`,
  options: {...DATA_OPTIONS, ...POPULATION_OPTIONS, ...ENGINE_OPTIONS, rules: {type: "string"}, format: {type: "string"}},
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md", "csv"] as const, "json");
    const population = populationFrom(values);
    const rulesSpec = required(values, "rules");
    const engine = await openEngine(values, io);
    try {
      const rules = loadRules(rulesSpec, engine.columns);
      const result = await tierReport(engine.conn, rules, {population, columns: engine.columns, table: engine.table});
      io.stdout(format === "json" ? JSON.stringify(result, null, 2) : format === "md" ? reportToMarkdown(result) : reportToCsv(result));
    } finally {
      engine.close();
    }
  }
};
