/**
 * A tier report as Markdown (for people: the population, the tier and group tables, the gates)
 * and as CSV (for spreadsheets: one row per tier, RFC 4180). The tables are the specs of
 * ./tables.ts, the same the pages render.
 */
import {int, pct, pctInterval} from "../format.js";
import type {Discrimination} from "./gains.js";
import {csvTable, markdownTable} from "../table/index.js";
import type {Report} from "./report.js";
import {fallbackLabel, gainsTable, gateTable, tierTable} from "./tables.js";

/** The report as Markdown: population, tier table, group table (when groups differ), gates. */
export function reportToMarkdown(report: Report): string {
  const p = report.population;
  const fallback = fallbackLabel(report);
  const min = report.thresholds.minLabeled;
  const lines = [
    `# Tier report: ${report.rules}${report.version ? ` (${report.version})` : ""}`,
    "",
    `Population: ${p.description} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ` +
      `${int(p.conversions)} conversions, rate ${pct(p.rate)} (n = ${int(p.labeled)})` +
      (p.ci ? `, 95% CI ${pctInterval(p.ci)}.` : "."),
    "",
    `Rates are conversions / labeled leads (unlabeled leads count in volume only). "lift vs all leads" is the rate ` +
      `over the population rate; "lift vs ${fallback}" is the rate over the ${fallback} tier's rate. ` +
      `p: two-proportion test against ${fallback}, Holm-corrected; "n < ${min}": fewer than ${min} labeled leads; ` +
      `"not significant": p ≥ ${report.thresholds.alpha}.`,
    "",
    "## Tiers",
    "",
    markdownTable(tierTable(report, "tiers"), report.tiers)
  ];
  if (report.groups.length !== report.tiers.length) {
    lines.push("", "## Groups", "", markdownTable(tierTable(report, "groups"), report.groups));
  }
  lines.push(
    "",
    "## Gains",
    "",
    `Tiers in rule order (fallback last), cumulated. ${discriminationSentence(report.discrimination)}`,
    "",
    markdownTable(gainsTable(report), report.gains)
  );
  lines.push("", "## Gates", "", markdownTable(gateTable, report.gates));
  return lines.join("\n") + "\n";
}

/** The tier table as CSV: a header, then one row per tier (fallback last). */
export function reportToCsv(report: Report): string {
  return csvTable(tierTable(report, "tiers"), report.tiers);
}

/** AUC, Gini and KS in words, as the report page and the Markdown give them. */
export function discriminationSentence(d: Discrimination): string {
  const f = (x: number | null) => (x === null ? "–" : x.toFixed(3));
  return d.auc === null
    ? "AUC, Gini and KS are undefined: the labeled leads hold no conversions or no non-conversions."
    : `Over labeled leads, the tier order's AUC is ${f(d.auc)} (ties counted half), Gini ${f(d.gini)}, KS ${f(d.ks)}.`;
}
