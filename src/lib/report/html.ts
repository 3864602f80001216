/**
 * The report as HTML text, from {@link ReportData}: the sections of the report page (meta,
 * population, summary, tiers, gains and discrimination, gates, the compared rule set, migration,
 * criteria), every table rendered from its spec (src/lib/tiers/tables.ts) by htmlTable. The same
 * text is the site's report page (built ahead of time), `tierlab report --format html` and, printed,
 * its PDF. Charts come in as SVG text (./charts.ts draws them with Plot in a given document).
 */
import {int, pct} from "../format.js";
import {describePopulation} from "../population.js";
import {csvTable as csv, escapeHtml as esc, htmlTable} from "../table/index.js";
import {discriminationSentence} from "../tiers/format.js";
import * as specs from "../tiers/tables.js";
import type {ReportData} from "./data.js";

/** The charts, as SVG (or figure) markup. */
export interface ReportCharts {
  tierRates: string;
  gainsCurve: string;
  lift: string;
}

/** "2026-12-03 11:42" from an ISO time. */
export const minutes = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** The rule set's name as the report states it. */
export function rulesTitle(data: Pick<ReportData, "rules">): string {
  const {name, version} = data.rules;
  return `${name}${version && version !== name ? ` (${version})` : ""}`;
}

/**
 * The line every printed page carries (its top margin): the rule set, the data source with its
 * export time, and when the report was built.
 */
export function pageHeaderLine(data: ReportData): string {
  return `${rulesTitle(data)} vs ${data.comparison.compare.rules} · ${data.data} · ${data.builtLabel} ${minutes(data.builtAt)} UTC`;
}

/** A CSS string literal (for @page margin boxes' `content`). */
const cssString = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ")}"`;

/**
 * The printed page's margin boxes: the header line at the top, "page N of M" at the bottom.
 * Chromium (131 and later) draws @page margin boxes, in the browser's own print and in its PDF.
 */
export function pageMarginCss(data: ReportData): string {
  const box = "font-family: system-ui, sans-serif; font-size: 7.5pt; color: #555;";
  return `@page { margin: 16mm 12mm 14mm;
  @top-left { content: ${cssString(pageHeaderLine(data))}; ${box} vertical-align: bottom; padding-bottom: 3mm; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); ${box} vertical-align: top; padding-top: 3mm; }
}`.replace(/<\//g, "<\\/");
}

const section = (id: string, heading: string, body: string) => `<section class="tl-report-section" id="${id}-section"><h2>${esc(heading)}</h2>\n${body}\n</section>`;
const p = (text: string, attrs = "") => `<p${attrs}>${esc(text)}</p>`;
const figure = (id: string, caption: string, chart: string) => `<figure class="tl-report-figure" id="${id}"><figcaption>${esc(caption)}</figcaption>${chart}</figure>`;

/** The population line of every page (`#population-note`), in the words of populationNote. */
function populationLine(data: ReportData): string {
  const s = data.comparison.current.population;
  return `<p class="tl-note tl-population-note" id="population-note">Population: ${esc(s.description)}: <strong>${int(s.leads)} leads, ${int(s.labeled)} labeled</strong>, ${int(s.conversions)} conversions, rate ${s.rate === null ? "–" : pct(s.rate)}.</p>`;
}

/** The report's body: everything under the page's title. */
export function reportSectionsHtml(data: ReportData, charts: ReportCharts): string {
  const c = data.comparison;
  const current = c.current;
  const compareName = c.compare.rules;
  return [
    `<div class="card tl-meta" id="report-meta"><strong>Rule set:</strong> ${esc(rulesTitle(data))} · <strong>compared with:</strong> ${esc(compareName)}<br>
<strong>Data:</strong> ${esc(data.data)} · <strong>${esc(data.builtLabel)}:</strong> ${esc(minutes(data.builtAt))} UTC<br>
<strong>Population:</strong> ${esc(describePopulation(data.population))}</div>`,
    populationLine(data),
    section("summary", "Summary", `<ul id="report-summary">${data.summary.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>`),
    section(
      "tiers",
      "Tiers",
      [
        p("Rates are conversions over labeled leads with Wilson 95% intervals; lift is shown both against all leads and against the fallback tier, because the published seeds mix the two. The lift's interval is the Katz log interval, which takes the tier's and the population's rates as independent (the tier is part of the population, so it is somewhat wider than it needs to be)."),
        `<div id="report-tiers">${htmlTable(specs.tierTable(current, "tiers"), current.tiers, {csvName: "report-tiers.csv"})}</div>`,
        figure("report-tier-chart", "Conversion rate by tier with its Wilson 95% interval; dashed: all leads", charts.tierRates)
      ].join("\n")
    ),
    section(
      "gains",
      "Gains and discrimination",
      [
        p("The tiers in the rule set's own order (tier 1 first, the fallback last: the order sales works them), each row everything up to and including its tier. AUC counts a converter and a non-converter in the same tier as half a correct ordering; Gini = 2·AUC − 1; KS is the largest gap between the cumulative shares of converters and of non-converters at a tier boundary."),
        p(discriminationSentence(current.discrimination), ` id="report-discrimination"`),
        `<div id="report-gains">${htmlTable(specs.gainsTable(current), current.gains, {csvName: "report-gains.csv"})}</div>`,
        `<div class="tl-report-charts">${figure("report-gains-curve", "Gains: share of conversions against share of leads, tier by tier", charts.gainsCurve)}${figure("report-lift-chart", "Cumulative lift, tier 1 down to each tier", charts.lift)}</div>`
      ].join("\n")
    ),
    section("gates", "Gates", `<div id="report-gates">${htmlTable(specs.gateTable, current.gates, {csvName: "report-gates.csv"})}</div>`),
    section(
      "compare",
      `Against ${compareName}`,
      [
        `<div id="report-deltas">${htmlTable(specs.deltaTable(compareName), data.deltas, {csvName: "report-deltas.csv"})}</div>`,
        `<div id="report-migration">${htmlTable(specs.migrationTable(c), specs.migrationRows(c), {csvName: "report-migration.csv", caption: "Leads by tier under the compared rule set (rows) and the edited one (columns); off-diagonal cells are leads that move."})}</div>`
      ].join("\n")
    ),
    section("criteria", "Tier criteria", `<div id="report-criteria">${htmlTable(specs.criteriaTable, data.rules.tiers, {csvName: "report-criteria.csv"})}</div>`)
  ].join("\n");
}

/** Every table of the report with its CSV, for the page's "Download CSV" buttons (the same specs). */
export function reportCsvs(data: ReportData): Record<string, string> {
  const c = data.comparison;
  return {
    "report-tiers.csv": csv(specs.tierTable(c.current, "tiers"), c.current.tiers),
    "report-gains.csv": csv(specs.gainsTable(c.current), c.current.gains),
    "report-gates.csv": csv(specs.gateTable, c.current.gates),
    "report-deltas.csv": csv(specs.deltaTable(c.compare.rules), data.deltas),
    "report-migration.csv": csv(specs.migrationTable(c), specs.migrationRows(c)),
    "report-criteria.csv": csv(specs.criteriaTable, data.rules.tiers)
  };
}
