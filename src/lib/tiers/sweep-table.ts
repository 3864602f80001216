/**
 * The threshold sweep as tables, declared once as column specs (src/lib/table): the page, the
 * Markdown and the CSV of `tierlab sweep` render the same spec.
 */
import {int, pct} from "../format.js";
import {csvTable, intervalCsv, markdownTable, table, type Column, type TableSpec} from "../table/index.js";
import {locateThreshold, type Sweep, type SweepPoint, type Threshold} from "./sweep.js";
import {OBJECTIVE_WORDS, parseFree, type BacktestSummary, type ConstraintResult, type TierNumbers, type Tuning} from "./tune.js";

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

/** A row of the tuning table: the current rules or a candidate. */
export interface TuneRow {
  /** "current", the candidate's rank, or "closest". */
  name: string;
  values: Record<string, number>;
  fit: TierNumbers;
  holdout: TierNumbers;
  backtest: BacktestSummary | null;
  constraints: ConstraintResult[];
  holdoutOutsideFit: boolean | null;
}

/** What to watch on a row: constraints it misses, a holdout lift outside its fit interval. */
export function tuneFlags(r: TuneRow): string[] {
  return [...r.constraints.filter((c) => !c.pass).map((c) => `misses ${c.id}`), r.holdoutOutsideFit ? "holdout lift outside the fit interval" : ""].filter(Boolean);
}

/** The tuning table: the freed values, the fit numbers, the holdout, the backtest, the flags. */
export function tuneTable(t: Pick<Tuning, "free" | "tier" | "current">): TableSpec<TuneRow> {
  const words = t.free.map((id) => {
    const f = parseFree(id)!;
    return sweptCondition(locateThreshold(t.current.ruleSet, t.tier, f.condition, f.bound), "v");
  });
  return table<TuneRow>([
    {key: "name", label: "", csv: "candidate"},
    ...t.free.map((id, d): Column<TuneRow> => ({key: (r) => r.values[id], label: id, title: words[d], csv: `value_${id}`})),
    {key: (r) => r.fit.leads, label: "fit leads", format: "int", csv: "fit_leads"},
    {key: (r) => r.fit.labeled, label: "fit n", format: "int", title: "labeled leads on the fit window", csv: "fit_labeled"},
    {key: (r) => r.fit.rate, label: "fit rate", format: "pct", csv: "fit_rate"},
    {key: (r) => r.fit.ci, label: "fit 95% CI", format: "pctInterval", csv: intervalCsv((r) => r.fit.ci, "fit_ci")},
    {key: (r) => r.fit.lift, label: "fit lift", format: "times", title: "lift vs all leads of the fit window", csv: "fit_lift"},
    {key: (r) => r.holdout.leads, label: "holdout leads", format: "int", csv: "holdout_leads"},
    {key: (r) => r.holdout.rate, label: "holdout rate", format: "pct", csv: "holdout_rate"},
    {key: (r) => r.holdout.lift, label: "holdout lift", format: "times", csv: "holdout_lift"},
    {key: (r) => r.backtest?.mean ?? null, label: "backtest lift mean", format: "times", title: "the tier's test lift over the backtest periods", csv: "backtest_mean"},
    {key: (r) => r.backtest?.min ?? null, label: "min", format: "times", csv: "backtest_min"},
    {key: (r) => r.backtest?.sd ?? null, label: "SD", format: "times", title: "sample standard deviation", csv: "backtest_sd"},
    {key: (r) => tuneFlags(r), label: "flags", format: "flags", csv: "flags"}
  ]);
}

/** The rows of a tuning: the current rules, the candidates (or the closest one). */
export function tuneRows(t: Tuning): TuneRow[] {
  const currentValues = Object.fromEntries(
    t.free.map((id) => {
      const f = parseFree(id)!;
      return [id, locateThreshold(t.current.ruleSet, t.tier, f.condition, f.bound).current];
    })
  );
  return [
    {name: "current", values: currentValues, ...t.current},
    ...t.candidates.map((c, i) => ({name: String(i + 1), ...c})),
    ...(t.closest ? [{name: "closest", ...t.closest}] : [])
  ];
}

/** The tuning as Markdown: what was freed and asked, the table, the caveats. */
export function tuneToMarkdown(t: Tuning): string {
  const table = tuneTable(t);
  const rows = tuneRows(t);
  const freed = t.free.map((id, d) => `${id} (${table.columns[d + 1].title})`).join(", ");
  const constraints = t.current.constraints.map((c) => c.id).join(", ");
  const lines = [
    `# Tuning ${t.tier} of ${t.current.ruleSet.name}`,
    "",
    `Freed: ${freed}. Objective: ${t.objective}, ${OBJECTIVE_WORDS[t.objective]}. Constraints: ${constraints}.`,
    "",
    `${int(t.evaluated)} candidates evaluated and ranked on the fit window (${t.fit.description}) alone; the holdout (${t.holdout.description}) is shown as it comes, never used to choose. With many candidates the best fit is optimistic: trust a candidate whose holdout and backtest hold up, not its fit.`,
    "",
    t.candidates.length ? `## The ${t.candidates.length === 1 ? "best candidate" : `best ${t.candidates.length} candidates`}, beside the current rules` : "## No candidate meets the constraints",
    "",
    ...(t.message ? [t.message + ".", ""] : []),
    markdownTable(table, rows)
  ];
  if (t.warnings.length) lines.push("", "## Caveats", "", ...t.warnings.map((w) => `- ${w}`));
  return lines.join("\n") + "\n";
}


