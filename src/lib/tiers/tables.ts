/**
 * The tier tables, declared once: the tier (or group) table, the gates, the deltas against a
 * compared rule set, the migration matrix and the criteria. The page (src/components/table.ts),
 * the Markdown report and the CSV downloads all render these specs.
 */
import {intervalCsv, table, type Column, type TableSpec} from "../table/index.js";
import {formatValue} from "../format.js";
import {describeTier} from "../rules/conditions.js";
import type {Tier} from "../rules/types.js";
import type {Comparison, TierDelta} from "./compare.js";
import type {Gate} from "./gates.js";
import type {GainsRow} from "./gains.js";
import type {Report} from "./report.js";
import type {TierStats} from "./types.js";

/**
 * What to watch on a tier, in the words every rendering uses: the fallback, fewer labeled leads
 * than the threshold, not significantly different from the fallback (Holm-corrected).
 */
export function tierFlags(t: TierStats, minLabeled: number): string[] {
  return [t.fallback ? "fallback" : "", t.small ? `n < ${minLabeled}` : "", t.significant === false ? "not significant" : ""].filter(Boolean);
}

/** The fallback tier's label (the baseline of the second lift and of the test). */
export function fallbackLabel(report: Pick<Report, "tiers" | "fallback">): string {
  return report.tiers.find((t) => t.fallback)?.label ?? report.fallback;
}

/** The tier (or group) table: counts, rate with interval, both lifts (labelled), the test, flags. */
export function tierTable(report: Pick<Report, "tiers" | "fallback" | "thresholds">, level: "tiers" | "groups" = "tiers"): TableSpec<TierStats> {
  const fallback = fallbackLabel(report);
  const min = report.thresholds.minLabeled;
  const noun = level === "tiers" ? "tier" : "group";
  return table<TierStats>(
    [
      {key: (t) => t, label: noun, format: "name", csv: [{name: noun, value: "id"}, {name: "label", value: "label"}, ...(level === "tiers" ? [{name: "group", value: "group" as const}] : []), {name: "fallback", value: "fallback"}]},
      {key: "leads", label: "leads", format: "int"},
      {key: "share", label: "share", format: "pct1", title: "share of the population's leads"},
      {key: "labeled", label: "labeled (n)", format: "int", title: "leads with a known (mature) outcome: the n of the rate"},
      {key: "conversions", label: "conv.", format: "int", title: "conversions: labeled leads that converted"},
      {key: "rate", label: "rate", format: "pct", title: "conversions / labeled leads"},
      {key: "ci", label: "95% CI (Wilson)", format: "pctInterval", csv: intervalCsv((t) => t.ci)},
      {key: "lift", label: "lift vs all leads", format: "times", title: "rate / the population's rate"},
      {key: "liftCi", label: "lift 95% CI (Katz)", format: "timesInterval", title: "Katz log interval of the lift, the tier's and the population's rates taken as independent", csv: intervalCsv((t) => t.liftCi, "lift_ci")},
      {key: "liftVsFallback", label: `lift vs ${fallback}`, format: "times", title: `rate / the ${fallback} tier's rate`},
      {key: "expectedConversion"},
      {
        key: (t) => (t.fallback ? null : t.pAdjusted),
        label: `p vs ${fallback} (Holm)`,
        format: "pValue",
        title: `two-proportion test against ${fallback}, Holm-corrected across tiers`,
        csv: [{name: "p_value", value: "pValue"}, {name: "p_adjusted", value: "pAdjusted"}]
      },
      {
        key: (t) => tierFlags(t, min),
        label: "flags",
        format: "flags",
        title: `n < ${min}: fewer than ${min} labeled leads; not significant: p ≥ ${report.thresholds.alpha} after correction`,
        csv: [{name: "significant", value: "significant"}, {name: "small", value: "small"}, {name: "flags", value: (t) => formatValue("flags", tierFlags(t, min))}]
      }
    ],
    {rowClass: (t) => (t.fallback ? "fallback" : t.small ? "flag" : "")}
  );
}

/**
 * The gains table: the tiers in rule order (fallback last), each row everything up to and
 * including its tier: leads, labeled leads, conversions, their shares, the rate and the lift.
 */
export function gainsTable(report: Pick<Report, "tiers">): TableSpec<GainsRow> {
  const labels = new Map(report.tiers.map((t) => [t.id, t.label]));
  return table<GainsRow>([
    {key: (g) => ({id: g.id, label: labels.get(g.id) ?? g.id}), label: "through tier", format: "name", title: "this tier and every tier before it, in rule order", csv: [{name: "tier", value: "id"}]},
    {key: "cumLeads", label: "cum. leads", format: "int"},
    {key: "cumLeadsShare", label: "share of leads", format: "pct1", title: "cumulative leads / the population's leads"},
    {key: "cumLabeled", label: "cum. labeled", format: "int"},
    {key: "cumConversions", label: "cum. conv.", format: "int"},
    {key: "cumConversionsShare", label: "share of conversions", format: "pct1", title: "cumulative conversions / the population's conversions"},
    {key: "cumRate", label: "cum. rate", format: "pct", title: "cumulative conversions / cumulative labeled leads"},
    {key: "cumLift", label: "cum. lift", format: "times", title: "cumulative rate / the population's rate"}
  ]);
}

/** The gates: pass or fail, the check, the value against its threshold, and why. */
export const gateTable: TableSpec<Gate> = table<Gate>([
  {key: "pass", label: "result", format: "passFail"},
  {key: "label", label: "gate", csv: [{name: "gate", value: "id"}, {name: "label", value: "label"}]},
  {key: (g) => g, label: "value", format: "measure", csv: [{name: "value", value: "value"}, {name: "unit", value: "unit"}]},
  {key: (g) => g, label: "threshold", format: "bound", csv: [{name: "comparison", value: "comparison"}, {name: "threshold", value: "threshold"}, {name: "threshold_max", value: (g) => g.thresholdMax ?? null}]},
  {key: (g) => g.detail ?? "", label: "detail", csv: "detail"}
]);

/** Per tier (matched by id), the current rule set against the compared one. */
export function deltaTable(compareName: string, currentName = "edited"): TableSpec<TierDelta> {
  const suffix = (d: TierDelta) => (d.status === "new" ? " (new)" : d.status === "removed" ? ` (only in ${compareName})` : "");
  return table<TierDelta>([
    {key: (d) => ({id: d.id, label: d.label + suffix(d)}), label: "tier", format: "name", csv: [{name: "tier", value: "id"}, {name: "label", value: "label"}, {name: "status", value: "status"}]},
    {key: "compareLeads", label: `leads (${compareName})`, format: "int"},
    {key: "leads", label: `leads (${currentName})`, format: "int"},
    {key: (d) => (d.leads === null || d.compareLeads === null ? null : d.leads - d.compareLeads), label: "Δ leads", format: "signedInt", csv: "delta_leads"},
    {key: "compareRate", label: `rate (${compareName})`, format: "pct"},
    {key: "rate", label: `rate (${currentName})`, format: "pct"},
    {key: (d) => (d.rate === null || d.compareRate === null ? null : d.rate - d.compareRate), label: "Δ rate", format: "pp", title: "percentage points", csv: "delta_rate"}
  ]);
}

/** A row of the migration matrix: a tier of the compared rule set and its leads by current tier. */
export interface MigrationRow {
  id: string;
  label: string;
  to: Record<string, number>;
}

/** The matrix's rows: compared tiers, each with its leads under every current tier. */
export function migrationRows(c: Comparison): MigrationRow[] {
  const count = new Map(c.matrix.map((m) => [`${m.from}\u0000${m.to}`, m.leads]));
  return c.compare.tiers.map((f) => ({id: f.id, label: f.label, to: Object.fromEntries(c.current.tiers.map((t) => [t.id, count.get(`${f.id}\u0000${t.id}`) ?? 0]))}));
}

/** The migration matrix: rows = compared tiers, columns = current tiers, cells = leads. */
export function migrationTable(c: Pick<Comparison, "current" | "compare">, currentName = "edited"): TableSpec<MigrationRow> {
  return table<MigrationRow>([
    {key: (r) => r, label: `${c.compare.rules} ↓ / ${currentName} →`, format: "name", csv: [{name: "from", value: "id"}]},
    ...c.current.tiers.map((t): Column<MigrationRow> => ({key: (r) => r.to[t.id], label: t.label, title: t.id, format: "moves", csv: t.id}))
  ]);
}

/** A rule set's tiers in words: each tier's criteria and action. */
export const criteriaTable: TableSpec<Tier> = table<Tier>([
  {key: (t) => t, label: "tier", format: "name", csv: [{name: "tier", value: "id"}, {name: "label", value: "label"}]},
  {key: (t) => describeTier(t), label: "criteria", csv: "criteria"},
  {key: (t) => t.action ?? "", label: "action", csv: "action"}
]);
