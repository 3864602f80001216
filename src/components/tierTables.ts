/** Tables of the tier page and the report: tier statistics, gates, deltas, migration matrix. */
import {html} from "htl";
import type {Comparison, MigrationCell, TierDelta} from "../lib/tiers/compare.js";
import {int, pct, pctInterval, pValue, times} from "../lib/format.js";
import {formatGateNumber, formatGateThreshold, type Gate} from "../lib/tiers/gates.js";
import type {Report, TierStats} from "../lib/tiers/report.js";
import {dataTable, type Column} from "./ui.js";

/** The tier table: counts, rate with interval, both lifts (labelled), share, significance, flags. */
export function tierTable(report: Report, level: "tiers" | "groups", csvName: string): HTMLElement {
  const fallbackLabel = report.tiers.find((t) => t.fallback)?.label ?? report.fallback;
  const columns: Column<TierStats>[] = [
    {key: "id", label: level === "tiers" ? "tier" : "group", align: "left", format: (t) => html`<span title=${t.id}>${t.label}</span>`, csv: (t) => t.id},
    {key: "leads", label: "leads", format: (t) => int(t.leads)},
    {key: "share", label: "share", format: (t) => pct(t.share, 1)},
    {key: "labeled", label: "labeled (n)", format: (t) => int(t.labeled)},
    {key: "conversions", label: "conv.", format: (t) => int(t.conversions)},
    {key: "rate", label: "rate", format: (t) => pct(t.rate)},
    {key: "ci", label: "95% CI (Wilson)", format: (t) => pctInterval(t.ci), csv: (t) => t.ci?.map((x) => x.toFixed(6)).join("–")},
    {key: "lift", label: "lift vs all leads", format: (t) => times(t.lift)},
    {key: "liftVsFallback", label: `lift vs ${fallbackLabel}`, format: (t) => times(t.liftVsFallback)},
    {key: "pAdjusted", label: "p (Holm)", title: `two-proportion test against ${fallbackLabel}, Holm-corrected`, format: (t) => (t.fallback ? "–" : pValue(t.pAdjusted))},
    {key: "small", label: "flags", align: "left", format: (t) => [t.small ? `n < ${report.thresholds.minLabeled}` : "", !t.fallback && t.significant === false ? "not significant" : ""].filter(Boolean).join(", ") || "", csv: (t) => (t.small ? "small" : "")}
  ];
  return dataTable(report[level], columns, {csvName, rowClass: (t) => (t.fallback ? "fallback" : t.small ? "flag" : "")});
}

/** The gates panel: pass / fail, value, threshold and why. */
export function gatesTable(gates: Gate[], csvName: string): HTMLElement {
  return dataTable(gates, [
    {key: "pass", label: "", align: "left", format: (g) => html`<span class=${g.pass ? "tl-pass" : "tl-fail"}>${g.pass ? "✓ pass" : "✗ fail"}</span>`, csv: (g) => (g.pass ? "pass" : "fail")},
    {key: "label", label: "gate", align: "left"},
    {key: "value", label: "value", format: (g) => formatGateNumber(g, g.value), csv: (g) => g.value},
    {key: "threshold", label: "threshold", format: formatGateThreshold, csv: (g) => formatGateThreshold(g)},
    {key: "detail", label: "detail", align: "left", format: (g) => g.detail ?? ""}
  ], {csvName});
}

/** Per-tier deltas against the compared rule set. */
export function deltaTable(deltas: TierDelta[], compareName: string, csvName: string): HTMLElement {
  const signed = (v: number | null, f: (x: number) => string) => (v === null ? "–" : (v > 0 ? "+" : v < 0 ? "−" : "±") + f(Math.abs(v)));
  return dataTable(deltas, [
    {key: "id", label: "tier", align: "left", format: (d) => `${d.label}${d.status === "new" ? " (new)" : d.status === "removed" ? ` (only in ${compareName})` : ""}`, csv: (d) => d.id},
    {key: "compareLeads", label: `leads (${compareName})`, format: (d) => int(d.compareLeads)},
    {key: "leads", label: "leads (edited)", format: (d) => int(d.leads)},
    {key: "dLeads", label: "Δ leads", format: (d) => (d.leads === null || d.compareLeads === null ? "–" : signed(d.leads - d.compareLeads, int)), csv: (d) => (d.leads ?? 0) - (d.compareLeads ?? 0)},
    {key: "compareRate", label: `rate (${compareName})`, format: (d) => pct(d.compareRate)},
    {key: "rate", label: "rate (edited)", format: (d) => pct(d.rate)},
    {key: "dRate", label: "Δ rate", format: (d) => (d.rate === null || d.compareRate === null ? "–" : signed(d.rate - d.compareRate, (x) => `${(x * 100).toFixed(2)} pp`)), csv: (d) => (d.rate === null || d.compareRate === null ? "" : d.rate - d.compareRate)}
  ], {csvName});
}

/** The migration matrix: rows = compared tiers, columns = edited tiers, cells = leads moving. */
export function migrationTable(c: Comparison, csvName: string): HTMLElement {
  const from = c.compare.tiers.map((t) => t.id);
  const to = c.current.tiers.map((t) => t.id);
  const cell = new Map(c.matrix.map((m: MigrationCell) => [`${m.from}\u0000${m.to}`, m]));
  const rows = from.map((f) => ({from: f, ...Object.fromEntries(to.map((t) => [t, cell.get(`${f}\u0000${t}`)?.leads ?? 0]))}));
  const label = new Map(c.current.tiers.map((t) => [t.id, t.label]));
  const fromLabel = new Map(c.compare.tiers.map((t) => [t.id, t.label]));
  return dataTable(rows as Record<string, unknown>[], [
    {key: "from", label: `${c.compare.rules} ↓ / edited →`, align: "left", format: (r) => String(fromLabel.get(String(r.from)) ?? r.from), csv: (r) => r.from},
    ...to.map((t) => ({key: t, label: String(label.get(t) ?? t), format: (r: Record<string, unknown>) => {
      const v = Number(r[t]);
      return v === 0 ? html`<span class="tl-muted">0</span>` : html`<strong>${int(v)}</strong>`;
    }}))
  ], {csvName, caption: "Leads by tier under the compared rule set (rows) and the edited one (columns); off-diagonal cells are leads that move."});
}
