/**
 * A tier report as Markdown (for people: every rate beside its n, both lifts labelled with their
 * baseline, then the gates) and as CSV (for spreadsheets: one row per tier, RFC 4180).
 */
import type {Gate} from "./gates.js";
import type {Report, TierStats} from "./report.js";

const dash = "—";

/** 0.15918 → "15.92%". */
export function formatPercent(value: number | null, digits = 2): string {
  return value === null ? dash : `${(value * 100).toFixed(digits)}%`;
}

/** 4.6279 → "4.63×". */
export function formatLift(value: number | null): string {
  return value === null ? dash : `${value.toFixed(2)}×`;
}

/** 12345 → "12,345" (no locale dependence). */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** p-values: three decimals, "< 0.001" below that. */
export function formatP(value: number | null): string {
  if (value === null) return dash;
  return value < 0.001 ? "< 0.001" : value.toFixed(3);
}

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
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
        formatCount(t.leads),
        formatPercent(t.share),
        `${formatCount(t.conversions)} / ${formatCount(t.labeled)}`,
        `${formatPercent(t.rate)} (n = ${formatCount(t.labeled)})`,
        t.ci ? `${formatPercent(t.ci[0])} – ${formatPercent(t.ci[1])}` : dash,
        formatLift(t.lift),
        formatLift(t.liftVsFallback),
        t.fallback ? dash : formatP(t.pAdjusted),
        flags.join(", ")
      ])
    );
  }
  return lines;
}

function formatGateValue(gate: Gate, value: number | null): string {
  if (value === null) return dash;
  if (gate.unit === "percent") return formatPercent(value);
  if (gate.unit === "times") return formatLift(value);
  return formatCount(value);
}

function formatThreshold(gate: Gate): string {
  if (gate.comparison === "between")
    return `${formatGateValue(gate, gate.threshold)} – ${formatGateValue(gate, gate.thresholdMax ?? null)}`;
  const symbol = {">=": "≥", "<=": "≤", "<": "<", "==": "="}[gate.comparison];
  return `${symbol} ${formatGateValue(gate, gate.threshold)}`;
}

/** The report as Markdown: population, tier table, group table (when groups differ), gates. */
export function reportToMarkdown(report: Report): string {
  const p = report.population;
  const lines = [
    `# Tier report: ${report.rules}${report.version ? ` (${report.version})` : ""}`,
    "",
    `Population: ${p.description} — ${formatCount(p.leads)} leads, ${formatCount(p.labeled)} labeled, ` +
      `${formatCount(p.conversions)} conversions, rate ${formatPercent(p.rate)} (n = ${formatCount(p.labeled)})` +
      (p.ci ? `, 95% CI ${formatPercent(p.ci[0])} – ${formatPercent(p.ci[1])}.` : "."),
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
        formatGateValue(gate, gate.value),
        formatThreshold(gate),
        gate.detail ?? ""
      ])
    );
  }
  return lines.join("\n") + "\n";
}

/** One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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
