import {readProvenance} from "../../loaders/export.js";
import {overview} from "../../src/lib/overview/overview.js";
import {overviewToMarkdown} from "../../src/lib/overview/format.js";
import {choiceOption, required, type Command} from "../command.js";
import {readReference} from "../reference.js";
import {DATA_OPTIONS, openData, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";

export const inspect: Command = {
  name: "inspect",
  summary: "overview numbers and data checks for a data file",
  help: `tierlab inspect --data FILE ${POPULATION_USAGE} [--format json|md]

The overview page's numbers: leads, labeled leads, conversions and the baseline rate (with its
Wilson 95% interval), splits with date ranges and rates, wirehouse share, monthly volume and rate,
and the data checks (nulls per column, out-of-range values, duplicate ids). The numbers are over
the population (the options below); the data checks over every row.

  --data FILE            a .parquet or .csv leads file
${POPULATION_HELP}
  --format F             json (default) or md`,
  options: {...DATA_OPTIONS, ...POPULATION_OPTIONS, format: {type: "string"}},
  async run(values, io) {
    const format = choiceOption(values, "format", ["json", "md"] as const, "json");
    const population = populationFrom(values);
    const {conn} = await openData(values, io);
    try {
      const provenance = required(values, "data").endsWith(".parquet") ? await readProvenance(conn, String(values.data)) : null;
      const result = {source: provenance, ...(await overview(conn, "leads", {population}))};
      io.stdout(format === "json" ? JSON.stringify(result, null, 2) : overviewToMarkdown(result, {publishedSplits: readReference().splits?.splits}));
    } finally {
      conn.close();
    }
  }
};
