import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {investigateSignals, parseSignalsConfig, rankSignals, reportJson, SignalsError} from "../../src/lib/signals/signals.js";
import {signalsToMarkdown} from "../../src/lib/signals/format.js";
import {choiceOption, type Command} from "../command.js";
import {DATA_OPTIONS, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine} from "../engine.js";

export const DEFAULT_SIGNALS = join(import.meta.dirname, "..", "..", "data", "signals.json");

/** Reads and parses a signal-definitions file; a missing file or bad JSON is a {@link SignalsError}. */
export function readSignalsFile(path: string): unknown {
  if (!existsSync(path)) throw new SignalsError([`signal definitions ${path}: file not found`]);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SignalsError([`signal definitions ${path}: invalid JSON (${(error as Error).message})`]);
  }
}

export const signals: Command = {
  name: "signals",
  summary: "conversion, interval and lift of the converting signals and of each band",
  help: `tierlab signals --data FILE ${POPULATION_USAGE} [--format json|md]

The signal investigation page's numbers: for each named signal (data/signals.json, or --signals
FILE) the leads, labeled leads, conversions, rate, Wilson 95% interval and lift vs the population
rate, ranked by rate, with the seeds' published rate and lift beside, and the information value
(IV) of being in the signal vs not; then conversion by band for each band column (NULL values
counted in a "missing" row), each band's weight of evidence (WoE) and IV term, and each column's
IV. One aggregate query for the signals and one per band column.

  --data FILE            a .parquet or .csv leads file
${POPULATION_HELP}
  --signals FILE         signal definitions (default data/signals.json)
  --rank R               rate (default) or iv: what the signals are ranked by
  --format F             json (default) or md
  --sql                  include the SQL that was run
${ENGINE_HELP}`,
  options: {...DATA_OPTIONS, ...POPULATION_OPTIONS, ...ENGINE_OPTIONS, signals: {type: "string"}, rank: {type: "string"}, format: {type: "string"}, sql: {type: "boolean"}},
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md"] as const, "json");
    const rank = choiceOption(values, "rank", ["rate", "iv"] as const, "rate");
    const population = populationFrom(values);
    const json = readSignalsFile(typeof values.signals === "string" ? values.signals : DEFAULT_SIGNALS);
    parseSignalsConfig(json);
    const engine = await openEngine(values, io);
    const {conn, columns, table} = engine;
    try {
      const config = parseSignalsConfig(json, columns);
      const investigated = await investigateSignals(conn, config, {population, columns, table, dialect: conn.dialect});
      const report = {...investigated, signals: rankSignals(investigated.signals, rank)};
      const sql = values.sql ? {signals: report.sql, bands: Object.fromEntries(report.bands.map((b) => [b.column, b.sql]))} : undefined;
      if (format === "json") io.stdout(JSON.stringify({...(reportJson(report) as object), ...(sql ? {sql} : {})}, null, 2));
      else {
        const text = signalsToMarkdown(report, rank, config.published);
        io.stdout(sql ? `${text}\n## SQL\n\n\`\`\`sql\n${[sql.signals, ...Object.values(sql.bands)].join(";\n\n")};\n\`\`\`\n` : text);
      }
    } finally {
      engine.close();
    }
  }
};
