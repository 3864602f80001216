/**
 * The tuner's tables, declared once as column specs (src/lib/table): the tier page's "Suggest"
 * panel and `tierlab tune --format md` render the same specs, so they read alike.
 */
import {int} from "../format.js";
import {intervalCsv, markdownTable, table, type Column, type TableSpec} from "../table/index.js";
import {locateThreshold} from "./sweep.js";
import {sweptCondition} from "./sweep-table.js";
import {OBJECTIVE_WORDS, parseFree, type BacktestSummary, type ConstraintId, type ConstraintResult, type TierNumbers, type Tuning} from "./tune.js";

/** A row of the tuning tables: the current rules or a candidate. */
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

/** Each constraint as a column header, and what it checks. */
export const CONSTRAINT_WORDS: Record<ConstraintId, {label: string; title: string}> = {
  "min-labeled": {label: "enough labeled", title: "at least the minimum of labeled leads in the tier"},
  "min-rate": {label: "min rate", title: "a rate of at least the minimum rate"},
  "min-lift": {label: "min lift", title: "lift vs all leads at least the minimum lift"},
  "priority-share": {label: "priority share", title: "the priority tiers' share of leads within the gates' band"},
  "ci-separation": {label: "above fallback", title: "the tier's Wilson lower bound above the fallback's upper bound"},
  "tier-order": {label: "tier order", title: "every tier whose rate was above the next one's still is"}
};

/** What to watch on a row: constraints it misses, a holdout lift outside its fit interval. */
export function tuneFlags(r: TuneRow): string[] {
  return [...r.constraints.filter((c) => !c.pass).map((c) => `misses ${c.id}`), r.holdoutOutsideFit ? "holdout lift outside the fit interval" : ""].filter(Boolean);
}

/** Each freed threshold in words, `v` standing for its value: `firm_rep_count_at_contact ≤ v`. */
export function freedWords(t: Pick<Tuning, "free" | "tier" | "current">): string[] {
  return t.free.map((id) => {
    const f = parseFree(id)!;
    return sweptCondition(locateThreshold(t.current.ruleSet, t.tier, f.condition, f.bound), "v");
  });
}

/** The freed values, one column each, headed by the threshold's name and words. */
function valueColumns(t: Pick<Tuning, "free" | "tier" | "current">): Column<TuneRow>[] {
  const words = freedWords(t);
  return t.free.map((id, d): Column<TuneRow> => ({key: (r) => r.values[id], label: `${id} (${words[d]})`, title: `the value of v in ${words[d]}`, csv: `value_${id}`}));
}

const flagged = (r: TuneRow) => (r.holdoutOutsideFit ? "flag" : "");

/** The tier's numbers on the fit window and on the holdout, and whether the holdout lift lies in the fit interval. */
export function tuneTable(t: Pick<Tuning, "free" | "tier" | "current">): TableSpec<TuneRow> {
  return table<TuneRow>(
    [
      {key: "name", label: "", csv: "candidate"},
      ...valueColumns(t),
      {key: (r) => r.fit.leads, label: "fit leads", format: "int", csv: "fit_leads"},
      {key: (r) => r.fit.labeled, label: "fit n", format: "int", title: "labeled leads on the fit window", csv: "fit_labeled"},
      {key: (r) => r.fit.rate, label: "fit rate", format: "pct", csv: "fit_rate"},
      {key: (r) => r.fit.ci, label: "fit 95% CI", format: "pctInterval", title: "Wilson interval of the fit rate", csv: intervalCsv((r) => r.fit.ci, "fit_ci")},
      {key: (r) => r.fit.lift, label: "fit lift", format: "times", title: "lift vs all leads of the fit window", csv: "fit_lift"},
      {key: (r) => r.holdout.leads, label: "holdout leads", format: "int", csv: "holdout_leads"},
      {key: (r) => r.holdout.labeled, label: "holdout n", format: "int", title: "labeled leads on the holdout", csv: "holdout_labeled"},
      {key: (r) => r.holdout.rate, label: "holdout rate", format: "pct", csv: "holdout_rate"},
      {key: (r) => r.holdout.ci, label: "holdout 95% CI", format: "pctInterval", title: "Wilson interval of the holdout rate", csv: intervalCsv((r) => r.holdout.ci, "holdout_ci")},
      {key: (r) => r.holdout.lift, label: "holdout lift", format: "times", title: "lift vs all leads of the holdout", csv: "holdout_lift"},
      {
        key: (r) => (r.holdoutOutsideFit === null ? null : r.holdoutOutsideFit ? "outside" : "inside"),
        label: "holdout lift vs fit interval",
        title: "whether the holdout lift lies within the fit lift's 95% interval; outside: the fit was luck or the windows differ",
        csv: [{name: "holdout_outside_fit", value: (r) => r.holdoutOutsideFit}]
      }
    ],
    {rowClass: flagged}
  );
}

/** The tier's test lift over the backtest periods, and each constraint on the fit window. */
export function tuneChecksTable(t: Pick<Tuning, "free" | "tier" | "current">): TableSpec<TuneRow> {
  const ids = t.current.constraints.map((c) => c.id);
  return table<TuneRow>(
    [
      {key: "name", label: "", csv: "candidate"},
      ...valueColumns(t),
      {key: (r) => r.backtest?.mean ?? null, label: "backtest lift mean", format: "times", title: "the tier's test lift, mean over the backtest periods", csv: "backtest_mean"},
      {key: (r) => r.backtest?.min ?? null, label: "min", format: "times", title: "the lowest period's test lift", csv: "backtest_min"},
      {key: (r) => r.backtest?.sd ?? null, label: "SD", format: "times", title: "sample standard deviation of the periods' test lifts", csv: "backtest_sd"},
      ...ids.map((id): Column<TuneRow> => ({key: (r) => r.constraints.find((c) => c.id === id)?.pass ?? null, label: CONSTRAINT_WORDS[id].label, format: "passFail", title: `${CONSTRAINT_WORDS[id].title} (${id}, on the fit window)`, csv: id.replace(/-/g, "_")}))
    ],
    {rowClass: flagged}
  );
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

/** The tuning as Markdown: what was freed and asked, the two tables, the caveats. */
export function tuneToMarkdown(t: Tuning): string {
  const rows = tuneRows(t);
  const words = freedWords(t);
  const freed = t.free.map((id, d) => `${id} (${words[d]})`).join(", ");
  const constraints = t.current.constraints.map((c) => c.id).join(", ");
  const lines = [
    `# Tuning ${t.tier} of ${t.current.ruleSet.name}`,
    "",
    `Freed: ${freed}. Objective: ${t.objective}, ${OBJECTIVE_WORDS[t.objective]}. Constraints: ${constraints || "none"}.`,
    "",
    `${int(t.evaluated)} candidates evaluated and ranked on the fit window (${t.fit.description}) alone; the holdout (${t.holdout.description}) is shown as it comes, never used to choose. With many candidates the best fit is optimistic: trust a candidate whose holdout and backtest hold up, not its fit.`,
    "",
    t.candidates.length ? `## The ${t.candidates.length === 1 ? "best candidate" : `best ${t.candidates.length} candidates`}, beside the current rules` : "## No candidate meets the constraints",
    "",
    ...(t.message ? [t.message + ".", ""] : []),
    markdownTable(tuneTable(t), rows),
    "",
    "## Over the backtest periods, and the constraints on the fit window",
    "",
    markdownTable(tuneChecksTable(t), rows)
  ];
  if (t.warnings.length) lines.push("", "## Caveats", "", ...t.warnings.map((w) => `- ${w}`));
  return lines.join("\n") + "\n";
}
