/**
 * The threshold sweep as tables, declared once as column specs (src/lib/table): the page, the
 * Markdown and the CSV of `tierlab sweep` render the same spec (the tuner's: tune-table.ts).
 */
import {int, pct} from "../format.js";
import {csvTable, intervalCsv, markdownTable, table, type TableSpec} from "../table/index.js";
import type {Sweep, SweepPoint, Threshold} from "./sweep.js";

/** The swept condition in words, `v` standing for the moving value: `firm_rep_count_at_contact ≤ v`. */
export function sweptCondition(t: Pick<Threshold, "column" | "operator" | "bound"> & {other?: number | null}, v = "v"): string {
  const symbols: Record<string, string> = {lt: "<", lte: "≤", gt: ">", gte: "≥"};
  if (t.bound === null) return `${t.column} ${symbols[t.operator]} ${v}`;
  const other = t.other ?? "…";
  const [low, high] = t.bound === "low" ? [v, other] : [other, v];
  return `${t.column} ${t.operator === "between" ? "between" : "not between"} ${low} and ${high}`;
}

/** One row per candidate value: the tier's numbers there, the current value marked. */
export function sweepTable(s: Pick<Sweep, "current">): TableSpec<SweepPoint> {
  return table<SweepPoint>(
    [
      {key: "value", label: "value", title: "the threshold's value", csv: "value"},
      {key: (p) => p.value === s.current, label: "current", format: "yes", title: "the value in the rule set", csv: "current"},
      {key: "leads", label: "leads", format: "int"},
      {key: "labeled", label: "labeled (n)", format: "int", title: "leads with a known (mature) outcome: the n of the rate"},
      {key: "conversions", label: "conv.", format: "int"},
      {key: "rate", label: "rate", format: "pct", title: "conversions / labeled leads"},
      {key: (p) => (p.ci[0] === null ? null : p.ci), label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((p) => (p.ci[0] === null ? null : (p.ci as [number, number])))},
      {key: "lift", label: "lift vs all leads", format: "times", title: "rate / the population's rate (the same at every value)"}
    ],
    {rowClass: (p) => (p.value === s.current ? "current" : "")}
  );
}

/** The sweep as Markdown: what moves, the population, then one row per value. */
export function sweepToMarkdown(s: Sweep, population: string, rules: string): string {
  const p = s.population;
  return [
    `# Sweep: ${s.tier}, condition ${s.condition}${s.bound ? ` (${s.bound} end)` : ""} of ${rules}`,
    "",
    `The tier's numbers with ${sweptCondition(s)} for each value v, everything else as in the rule set (first match: leads an earlier tier catches stay there; leads the tier releases fall to later tiers). The rule set has ${s.current}.`,
    "",
    `Population: ${population} — ${int(p.leads)} leads, ${int(p.labeled)} labeled, ${int(p.conversions)} conversions, rate ${pct(p.rate)}: the base of every lift. Each row is what \`tierlab report\` gives for ${s.tier} with the threshold at v.`,
    "",
    markdownTable(sweepTable(s), s.points)
  ].join("\n") + "\n";
}

/** The sweep as CSV: one row per value. */
export function sweepToCsv(s: Sweep): string {
  return csvTable(sweepTable(s), s.points);
}
