/**
 * The site's report, computed at build time on native DuckDB from the leads the archive loader has
 * just read (src/data/leads.tar.ts: one read of the source, so the report and the pages can never
 * disagree): the configured rule set against the compared one, over the site's population, with
 * the backtest's shift. Written into the archive as `report.json`: the report as data, its HTML
 * (the sections of `tierlab report --format html`, charts as SVG) and each table's CSV. The report
 * page shows it without starting the engine.
 */
import {existsSync, readFileSync} from "node:fs";
import {basename, isAbsolute, join} from "node:path";
import {reportFragmentHtml} from "../cli/report-file.js";
import {describeColumns} from "../src/lib/data-contract.js";
import {parsePeriods} from "../src/lib/backtest/backtest.js";
import {resolvePopulation} from "../src/lib/population.js";
import {describeProvenance, type Provenance} from "../src/lib/provenance.js";
import {buildReportData, type ReportData} from "../src/lib/report/data.js";
import {reportCsvs} from "../src/lib/report/html.js";
import {parseSignalsConfig} from "../src/lib/signals/signals.js";
import type {NodeConnector} from "./node-duckdb.js";
import {readSiteConfig} from "./site-config.js";

/** What the report page loads (`data/leads/report.json`): the report, or why it could not be computed. */
export type SiteReportFile = SiteReport | {error: string; issues?: string[]};

export interface SiteReport {
  data: ReportData;
  /** The report's sections (src/lib/report/html.ts). */
  html: string;
  /** Each table's CSV by its file name, for the page's "Download CSV" buttons. */
  csv: Record<string, string>;
}

export const SITE_REPORT_MEMBER = "report.json";

const ROOT = join(import.meta.dirname, "..");
const readJson = (path: string) => JSON.parse(readFileSync(isAbsolute(path) ? path : join(ROOT, path), "utf8"));

/** A site rule set (a preset id or a path) as config.json.ts embeds it: its JSON and its id. */
function siteRules(spec: string): {id: string; json: unknown} {
  const preset = join(ROOT, "data", "rules", `${spec}.json`);
  if (existsSync(preset)) return {id: spec, json: readJson(preset)};
  return {id: basename(spec, ".json"), json: readJson(spec)};
}

/**
 * The report, or its failure as a value: data the configured rules cannot run on (a column they
 * name is missing) still builds a site, whose pages each say what is wrong; so does the report page.
 */
export async function siteReportFile(conn: NodeConnector, provenance: Provenance, log: (message: string) => void): Promise<SiteReportFile> {
  try {
    return await siteReport(conn, provenance);
  } catch (error) {
    const e = error as Error & {issues?: string[]};
    log(`warning: the report page's report could not be computed: ${e.message.split("\n")[0]}`);
    return {error: e.message, ...(e.issues ? {issues: e.issues} : {})};
  }
}

export async function siteReport(conn: NodeConnector, provenance: Provenance, table = "leads"): Promise<SiteReport> {
  const site = readSiteConfig(ROOT);
  const rules = siteRules(site.rules);
  const compare = siteRules(site.compare);
  const data = await buildReportData(conn, {
    title: site.title,
    rules: rules.json as ReportData["rules"],
    compare: compare.json as ReportData["rules"],
    compareId: compare.id,
    population: resolvePopulation(site, {}),
    data: describeProvenance(provenance),
    builtAt: new Date().toISOString(),
    builtLabel: "site built",
    columns: await describeColumns(conn, table),
    table,
    periods: parsePeriods(readJson(site.periods), site.periods),
    bands: parseSignalsConfig(readJson("data/signals.json")).bands
  });
  return {data, html: reportFragmentHtml(data), csv: reportCsvs(data)};
}
