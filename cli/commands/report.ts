import {basename} from "node:path";
import {readProvenance} from "../../loaders/export.js";
import {writeFileAtomic} from "../../loaders/atomic.js";
import type {NodeConnector} from "../../loaders/node-duckdb.js";
import {describeProvenance} from "../../src/lib/provenance.js";
import {buildReportData} from "../../src/lib/report/data.js";
import {parseSignalsConfig} from "../../src/lib/signals/signals.js";
import {tierReport} from "../../src/lib/tiers/report.js";
import {reportToCsv, reportToMarkdown} from "../../src/lib/tiers/format.js";
import {choiceOption, required, UsageError, type Command, type Values} from "../command.js";
import {DATA_OPTIONS, POPULATION_HELP, POPULATION_OPTIONS, POPULATION_USAGE, populationFrom} from "../data.js";
import {ENGINE_HELP, ENGINE_OPTIONS, openEngine, type Engine} from "../engine.js";
import {loadRules, presetIds} from "../rules.js";
import {DEFAULT_PERIODS, readPeriodsFile} from "./backtest.js";
import {DEFAULT_SIGNALS, readSignalsFile} from "./signals.js";

const FORMATS = ["json", "md", "csv", "html", "pdf"] as const;

export const report: Command = {
  name: "report",
  summary: "tier statistics and gates for a rule set; the report as one HTML or PDF file",
  help: `tierlab report (--data FILE | --engine bigquery --bigquery TABLE) --rules PRESET_OR_FILE ${POPULATION_USAGE} [--format json|md|csv|html|pdf] [--out FILE]

Per tier and group: leads, labeled, conversions, rate with its Wilson 95% interval, share, lift vs
all leads, lift vs the fallback tier, a two-proportion test against the fallback (Holm-corrected),
the under-50 flag; the lift's Katz interval; the gains (tiers in rule order, cumulated) with the
AUC, Gini and KS of the tier order; then the gates (docs/statistics.md).

--format html writes the site's report page as one self-contained file (inline CSS, charts as
inline SVG, no script, nothing fetched): the summary (with the backtest's shifted periods), tiers,
gains, gates, the changes against --compare and the migration, the criteria. --format pdf prints
that file with Chromium (CHROMIUM_PATH, else Debian's /usr/bin/chromium), a header line and
"page N of M" on every page (docs/publishing.md).

  --data FILE            a .parquet or .csv leads file
  --rules R              a preset (${presetIds().join(", ")}) or a rule-set JSON file
${POPULATION_HELP}
  --format F             json (default), md, csv, html or pdf
  --out FILE             write to FILE (atomically) instead of standard output; needed for pdf
  --compare R            html/pdf: the rule set compared against (default v3.2-consolidated)
  --periods FILE         html/pdf: the backtest periods whose shift the summary names (default data/periods.json)
  --title T              html/pdf: the report's title (default tierlab)
  --paper P              pdf: a4 (default) or letter, portrait
${ENGINE_HELP}`,
  options: {
    ...DATA_OPTIONS,
    ...POPULATION_OPTIONS,
    ...ENGINE_OPTIONS,
    rules: {type: "string"},
    format: {type: "string"},
    out: {type: "string"},
    compare: {type: "string"},
    periods: {type: "string"},
    title: {type: "string"},
    paper: {type: "string"}
  },
  async run(values, io) {
    const format = choiceOption(values, "format", FORMATS, "json");
    const file = format === "html" || format === "pdf";
    // (Loaded only for a file: its renderer brings jsdom and Playwright, which the other formats need not load.)
    const reportFile = file ? await import("../report-file.js") : null;
    const paper = reportFile ? choiceOption(values, "paper", reportFile.PAPER, "a4") : "a4";
    const out = typeof values.out === "string" && values.out !== "" ? values.out : undefined;
    if (format === "pdf" && !out) throw new UsageError("--format pdf needs --out FILE.pdf");
    for (const name of ["compare", "periods", "title"]) if (!file && values[name] !== undefined) throw new UsageError(`--${name} is for --format html or pdf`);
    if (format !== "pdf" && values.paper !== undefined) throw new UsageError("--paper is for --format pdf");
    // Before any work: a PDF needs Chromium.
    if (format === "pdf") reportFile!.requireChromium();
    const population = populationFrom(values);
    const rulesSpec = required(values, "rules");
    // Files are read before the data, so that a bad one fails at once.
    const periods = file ? readPeriodsFile(typeof values.periods === "string" ? values.periods : DEFAULT_PERIODS).periods : [];
    const bands = file ? parseSignalsConfig(readSignalsFile(DEFAULT_SIGNALS)).bands : [];
    const engine = await openEngine(values, io);
    let text: string;
    try {
      const rules = loadRules(rulesSpec, engine.columns);
      if (!file) {
        const result = await tierReport(engine.conn, rules, {population, columns: engine.columns, table: engine.table});
        text = format === "json" ? JSON.stringify(result, null, 2) : format === "md" ? reportToMarkdown(result) : reportToCsv(result);
      } else {
        const compareSpec = typeof values.compare === "string" ? values.compare : "v3.2-consolidated";
        const data = await buildReportData(engine.conn, {
          title: typeof values.title === "string" ? values.title : "tierlab",
          rules,
          compare: loadRules(compareSpec, engine.columns),
          compareId: basename(compareSpec, ".json"),
          population,
          data: await dataDescription(engine, values),
          builtAt: new Date().toISOString(),
          builtLabel: "written",
          columns: engine.columns,
          table: engine.table,
          periods,
          bands
        });
        text = reportFile!.reportFileHtml(data);
      }
    } finally {
      engine.close();
    }
    if (format === "pdf") await reportFile!.writePdf(text, out!, paper);
    else if (out) await writeFileAtomic(out, text.endsWith("\n") ? text : text + "\n");
    else io.stdout(text);
    if (out) io.stderr(`wrote ${out}`);
  }
};

/** What the report says it runs on: the Parquet file's provenance when tierlab wrote it, else the file or table. */
async function dataDescription(engine: Engine, values: Values): Promise<string> {
  if (typeof values.bigquery === "string") return `BigQuery ${values.bigquery}, read ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const path = String(values.data);
  const provenance = path.toLowerCase().endsWith(".parquet") ? await readProvenance(engine.conn as NodeConnector, path).catch(() => null) : null;
  if (provenance) return describeProvenance(provenance);
  const [{n}] = await engine.conn.query("SELECT COUNT(*) AS n FROM leads");
  return `File ${basename(path)}, ${Number(n).toLocaleString("en-US")} rows`;
}
