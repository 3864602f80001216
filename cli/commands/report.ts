import {tierReport} from "../../src/lib/report.js";
import {reportToCsv, reportToMarkdown} from "../../src/lib/report-format.js";
import {choiceOption, required, type Command} from "../command.js";
import {DATA_OPTIONS, openData, POPULATION_HELP, POPULATION_OPTIONS, populationFrom} from "../data.js";
import {loadRules, presetIds} from "../rules.js";

export const report: Command = {
  name: "report",
  summary: "tier statistics and gates for a rule set",
  help: `tierlab report --data FILE --rules PRESET_OR_FILE [--from DATE] [--to DATE] [--split S] [--format json|md|csv]

Per tier and group: leads, labeled, conversions, rate with its Wilson 95% interval, share, lift vs
all leads, lift vs the fallback tier, a two-proportion test against the fallback (Holm-corrected),
the under-50 flag; then the gates.

  --data FILE        a .parquet or .csv leads file
  --rules R          a preset (${presetIds().join(", ")}) or a rule-set JSON file
${POPULATION_HELP}
  --format F         json (default), md or csv`,
  options: {...DATA_OPTIONS, ...POPULATION_OPTIONS, rules: {type: "string"}, format: {type: "string"}},
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md", "csv"] as const, "json");
    const population = populationFrom(values);
    const rulesSpec = required(values, "rules");
    const {conn, data} = await openData(values, io);
    try {
      const rules = loadRules(rulesSpec, data.columns);
      const result = await tierReport(conn, rules, {population, columns: data.columns});
      io.stdout(format === "json" ? JSON.stringify(result, null, 2) : format === "md" ? reportToMarkdown(result) : reportToCsv(result));
    } finally {
      conn.close();
    }
  }
};
