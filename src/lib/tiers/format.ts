/**
 * A tier report as Markdown (for people: every rate beside its n, both lifts labelled with their
 * baseline, then the gates) and as CSV (for spreadsheets: one row per tier, RFC 4180).
 */
import {csvField, int, mdCell, pct, pctInterval, pValue, times} from "../format.js";
import {formatGateNumber, formatGateThreshold} from "./gates.js";
import type {Report, TierStats} from "./report.js";

const dash = "–";
function row(cells: string[]): string {
  return `| ${cells.map(mdCell).join(" | ")} |`;
}

function tierTable(rows: TierStats[], fallback: string): string[] {
  const header = [
    "tier",
    "label",
    "leads",
    "share",
    "conversions / labeled",
    "rate (n)",
    "95% CI (Wilson)",
    "lift vs all leads",
    `lift vs ${fallback}`,
    `p vs ${fallback} (Holm)`,
    "flags"
  ];
  const lines = [row(header), `|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`];
  for (const t of rows) {
    const flags = [t.fallback ? "fallback" : "", t.small ? "small n" : "", t.significant ? "significant" : ""].filter(
      Boolean
    );
    lines.push(
      row([
        t.id,
        t.label,
        int(t.leads),
        pct(t.share),
        `${int(t.conversions)} / ${int(t.labeled)}`,
        `${pct(t.rate)} (n = ${int(t.labeled)})`,
        pctInterval(t.ci),
        times(t.lift),
        times(t.liftVsFallback),
        t.fallback ? dash : pValue(t.pAdjusted),
        flags.join(", ")
      ])
    );
  }
  return lines;
}

/** The report as Markdown: population, tier table, group table (when groups differ), gates. */
export function reportToMarkdown(report: Report): string {
  const p = report.population;
  const lines = [
    `# Tier report: ${report.rules}${report.version ? ` (${report.version})` : ""}`,
    "",
    `Population: ${p.description} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ` +
      `${int(p.conversions)} conversions, rate ${pct(p.rate)} (n = ${int(p.labeled)})` +
      (p.ci ? `, 95% CI ${pctInterval(p.ci)}.` : "."),
    "",
    `Rates are conversions / labeled leads (unlabeled leads count in volume only). "lift vs all leads" is the rate ` +
      `over the population rate; "lift vs ${report.fallback}" is the rate over the ${report.fallback} tier's rate. ` +
      `p: two-proportion test against ${report.fallback}, Holm-corrected; "small n": fewer than ` +
      `${report.thresholds.minLabeled} labeled leads.`,
    "",
    "## Tiers",
    "",
    ...tierTable(report.tiers, report.fallback)
  ];
  if (report.groups.length !== report.tiers.length) {
    lines.push("", "## Groups", "", ...tierTable(report.groups, report.fallback));
  }
  lines.push(
    "",
    "## Gates",
    "",
    row(["gate", "check", "result", "value", "threshold", "detail"]),
    "|---|---|---|---:|---:|---|"
  );
  for (const gate of report.gates) {
    lines.push(
      row([
        gate.id,
        gate.label,
        gate.pass ? "PASS" : "FAIL",
        formatGateNumber(gate, gate.value),
        formatGateThreshold(gate),
        gate.detail ?? ""
      ])
    );
  }
  return lines.join("\n") + "\n";
}

export {csvField};

export const CSV_COLUMNS = [
  "tier",
  "label",
  "group",
  "fallback",
  "leads",
  "labeled",
  "conversions",
  "rate",
  "ci_low",
  "ci_high",
  "share",
  "lift",
  "lift_vs_fallback",
  "expected_conversion",
  "p_value",
  "p_adjusted",
  "significant",
  "small"
] as const;

/** The tier table as CSV: a header, then one row per tier (fallback last); CRLF line ends; empty for null. */
export function reportToCsv(report: Report): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const t of report.tiers) {
    const values = [
      t.id,
      t.label,
      t.group,
      t.fallback,
      t.leads,
      t.labeled,
      t.conversions,
      t.rate,
      t.ci?.[0] ?? null,
      t.ci?.[1] ?? null,
      t.share,
      t.lift,
      t.liftVsFallback,
      t.expectedConversion,
      t.pValue,
      t.pAdjusted,
      t.significant,
      t.small
    ];
    lines.push(values.map(csvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
