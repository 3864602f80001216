import {tierCountsSql} from "../../src/lib/tiers/report.js";
import {scoringTableSql} from "../../src/lib/rules/export-sql.js";
import {compileTierCase} from "../../src/lib/rules/compile.js";
import {choiceOption, required, type Command} from "../command.js";
import {loadRules, presetIds} from "../rules.js";

export const sql: Command = {
  name: "sql",
  summary: "print the scoring SQL of a rule set (BigQuery or DuckDB)",
  help: `tierlab sql --rules PRESET_OR_FILE --dialect bigquery|duckdb [--table T] [--kind case|scoring|counts]

  --rules R          a preset (${presetIds().join(", ")}) or a rule-set JSON file
  --dialect D        bigquery (default) or duckdb
  --table T          the feature table (default: leads)
  --kind K           scoring (default: the CREATE TABLE … scoring statement for deployment),
                     case (just the CASE expression), counts (the aggregate query behind a report)
  --target T         the scoring table written by --kind scoring (default: <table>_scores)
  --model-version V  model_version written by --kind scoring (default: the rule set's name)`,
  options: {rules: {type: "string"}, dialect: {type: "string"}, table: {type: "string"}, kind: {type: "string"}, target: {type: "string"}, "model-version": {type: "string"}},
  async run(values, io) {
    const dialect = choiceOption(values, "dialect", ["bigquery", "duckdb"] as const, "bigquery");
    const kind = choiceOption(values, "kind", ["scoring", "case", "counts"] as const, "scoring");
    const rules = loadRules(required(values, "rules"));
    const table = (values.table as string | undefined) ?? "leads";
    if (kind === "case") io.stdout(compileTierCase(rules, {dialect}));
    else if (kind === "counts") io.stdout(tierCountsSql(rules, {}, dialect, table));
    else io.stdout(scoringTableSql(rules, {dialect, sourceTable: table, targetTable: (values.target as string | undefined) ?? `${table}_scores`, modelVersion: (values["model-version"] as string | undefined) ?? rules.name}));
  }
};
