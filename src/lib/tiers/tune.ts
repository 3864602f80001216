/**
 * The tuner (issue 16 §2): frees one to three numeric thresholds of a tier, evaluates every
 * combination of candidate values on a fit window, keeps those that meet the constraints, ranks
 * them by an objective, and shows the best ones out of sample — on a held-out window and over the
 * backtest periods — beside the current rules.
 *
 * Every candidate is counted in one pass over the leads (sweep.ts: the grid of candidate values,
 * from one aggregate query or from the tier page's loop), so thousands of candidates cost about
 * what one report does. Against lucky candidates: the ranking reads the fit window only; the
 * holdout is reported as it comes, never used to choose; a candidate whose holdout lift falls
 * outside its fit interval is flagged; and the number of candidates evaluated is given, since the
 * best of many fits is optimistic.
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector} from "../connector.js";
import {describePopulation, type Population} from "../population.js";
import {parseRuleSet} from "../rules/parse.js";
import type {RuleSet} from "../rules/types.js";
import {quoteIdentifier} from "../sql.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {wilson} from "../stats.js";
import type {Distribution} from "../lead-arrays.js";
import {runBacktest, summarizeLifts, windowPopulation, type Period} from "../backtest/backtest.js";
import {resolveThresholds, type Thresholds} from "./gates.js";
import {reportFromCounts, tierReport, type Report} from "./report.js";
import {
  admissible,
  candidateValues,
  countGrid,
  leadsDistribution,
  locateThreshold,
  planGrid,
  signaturesFromColumns,
  signaturesFromRows,
  signaturesSql,
  sortedCandidates,
  ThresholdError,
  thresholdId,
  withThresholds,
  type Axis,
  type Bound,
  type Grid,
  type LeadColumns,
  type RunOptions,
  type Signatures,
  type Threshold
} from "./sweep.js";
import type {TierStats} from "./types.js";
import {yieldToPage} from "../yield.js";

export const OBJECTIVES = ["lift-lower", "conversions", "priority-conversions"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** What each objective maximises, in words. */
export const OBJECTIVE_WORDS: Record<Objective, string> = {
  "lift-lower": "the tier's lift with the Wilson lower bound of its rate (lower bound / the population's rate)",
  conversions: "the tier's conversions, at a rate of at least the minimum rate",
  "priority-conversions": "the expected conversions of all priority tiers (each tier's leads × its rate)"
};

export const CONSTRAINTS = ["min-labeled", "min-rate", "min-lift", "priority-share", "ci-separation", "tier-order"] as const;
export type ConstraintId = (typeof CONSTRAINTS)[number];

/** Candidate values per freed threshold by default: 2 × 50 = 2,500 candidates. */
export const TUNE_STEPS = 50;
/** Candidates shown out of sample by default. */
export const TUNE_TOP = 5;

export interface TuneRequest {
  tier: string;
  /** Freed thresholds: `N`, `A.N`, with `:low`/`:high` for an end of a range (1–3 of them). */
  free: readonly string[];
  objective?: Objective;
  /** At least this many labeled leads in the tier (default: the gates' minLabeled, 50). */
  minLabeled?: number;
  /** Lift vs all leads at least this (default: the gates' minPriorityLift, 2.0). */
  minLift?: number;
  /** Rate at least this; default for `conversions`: the tier's current rate on the fit window. */
  minRate?: number;
  /** Values per freed threshold (distinct values, or this many quantiles, and the current one). */
  steps?: number;
  /** How many of the best candidates to show out of sample. */
  top?: number;
  /** Constraints not applied (none by default): a candidate need not meet them, and they are not reported. */
  skip?: readonly ConstraintId[];
}

export interface TuneOptions extends RunOptions {
  /** The window candidates are evaluated and ranked on. */
  fit: Population;
  /** The window reported untouched beside them. */
  holdout: Population;
  /** The population every window shares (wirehouses, maturity): the backtest's. */
  base?: Population;
  /** Backtest periods (their test lifts for the best candidates); none: no backtest. */
  periods?: readonly Period[];
  thresholds?: Partial<Thresholds>;
  table?: string;
  columns?: readonly ColumnInfo[];
  /** Told each step as it starts, after the signal is checked (a page shows the step). */
  progress?: (step: string) => void;
  /**
   * A window's leads as typed columns (the tier page's columns file), or null: the fit and holdout
   * are then classified by the loop over them, in slices (no query whose rows the page would
   * convert at once), else by the signatures query. Same numbers either way (sweep.ts).
   */
  leadColumns?: (population: Population) => Promise<LeadColumns | null>;
}

/** The tuned tier's row as `tierlab report` JSON gives it. */
export interface TierNumbers {
  leads: number;
  labeled: number;
  conversions: number;
  rate: number | null;
  ci: [number, number] | null;
  lift: number | null;
  liftVsFallback: number | null;
}

export interface ConstraintResult {
  id: ConstraintId;
  pass: boolean;
  /** Why it fails (or what it checked), in words. */
  detail: string;
}

export interface BacktestSummary {
  lifts: (number | null)[];
  mean: number | null;
  min: number | null;
  sd: number | null;
}

export interface Candidate {
  /** Freed threshold → value. */
  values: Record<string, number>;
  ruleSet: RuleSet;
  fit: TierNumbers;
  holdout: TierNumbers;
  backtest: BacktestSummary | null;
  constraints: ConstraintResult[];
  /** The objective on the fit window (null where it is undefined). */
  score: number | null;
  /** The holdout lift lies outside the fit lift's 95% interval (null when either is undefined). */
  holdoutOutsideFit: boolean | null;
}

export interface Tuning {
  tier: string;
  free: string[];
  objective: Objective;
  /** Candidate combinations evaluated on the fit window. */
  evaluated: number;
  fit: {description: string};
  holdout: {description: string};
  current: {ruleSet: RuleSet; fit: TierNumbers; holdout: TierNumbers; backtest: BacktestSummary | null; constraints: ConstraintResult[]; score: number | null; holdoutOutsideFit: boolean | null};
  /** Those meeting every constraint, best first (at most `top`). */
  candidates: Candidate[];
  /** When none meets the constraints: the one that misses fewest, and what it misses. */
  closest?: Candidate;
  message?: string;
  /** Caveats: a backtest or holdout that overlaps the fit window, a holdout without labels. */
  warnings: string[];
}

/** `1.2` or `1.1:low`. */
export function parseFree(text: string): {condition: string; bound: Bound | null} | null {
  const m = /^\s*(\d+(?:\.\d+)?)(?::(low|high))?\s*$/.exec(text);
  return m ? {condition: m[1], bound: (m[2] as Bound | undefined) ?? null} : null;
}

/** The freed thresholds of a request, located. */
export function freedThresholds(rules: RuleSet, request: Pick<TuneRequest, "tier" | "free">, columns?: readonly ColumnInfo[]): Threshold[] {
  if (request.free.length === 0 || request.free.length > 3) throw new ThresholdError(`free one to three thresholds of the tier, got ${request.free.length}`);
  return request.free.map((f) => {
    const parsed = parseFree(f);
    if (!parsed) throw new ThresholdError(`a freed threshold is N or A.N, with :low or :high for an end of a range (e.g. 1.2, 1.1:low), got ${JSON.stringify(f)}`);
    return locateThreshold(rules, request.tier, parsed.condition, parsed.bound, columns);
  });
}

const pick = (row: TierStats): TierNumbers => ({leads: row.leads, labeled: row.labeled, conversions: row.conversions, rate: row.rate, ci: row.ci, lift: row.lift, liftVsFallback: row.liftVsFallback});

// --- Evaluating the grid ------------------------------------------------------------------------

/** What the constraints compare with. */
export interface Limits {
  objective: Objective;
  minLabeled: number;
  minLift: number;
  minRate: number | null;
  priorityShare: [number, number];
  /** Pairs of consecutive tiers (index i, i + 1; the fallback last) whose rates are in order under the current rules. */
  ordered: number[];
  /** Constraints not applied: a bit per constraint in {@link CONSTRAINTS} order. */
  skip?: number;
}

/** One cell's numbers, read from its per-tier counts. */
interface CellNumbers {
  score: number | null;
  fails: number;
  /** Bit per constraint in {@link CONSTRAINTS} order. */
  failed: number;
  labeled: number;
}

/** The objective and the constraints of one cell (counts per tier × 3, fallback last). */
function judge(counts: Float64Array, tierIndex: number, population: {leads: number; rate: number | null}, limits: Limits): CellNumbers {
  const slots = counts.length / 3;
  const k = tierIndex * 3;
  const fb = (slots - 1) * 3;
  const [labeled, conversions] = [counts[k + 1], counts[k + 2]];
  const rate = labeled ? conversions / labeled : null;
  const ci = wilson(conversions, labeled);
  const fallbackCi = wilson(counts[fb + 2], counts[fb + 1]);
  const lift = rate === null || !population.rate ? null : rate / population.rate;
  let failed = 0;
  if (!(labeled >= limits.minLabeled)) failed |= 1 << 0;
  if (limits.minRate !== null && !(rate !== null && rate >= limits.minRate)) failed |= 1 << 1;
  if (!(lift !== null && lift >= limits.minLift)) failed |= 1 << 2;
  const share = population.leads ? (population.leads - counts[fb]) / population.leads : null;
  if (!(share !== null && share >= limits.priorityShare[0] && share <= limits.priorityShare[1])) failed |= 1 << 3;
  if (!(ci && fallbackCi && ci[0] > fallbackCi[1])) failed |= 1 << 4;
  for (const i of limits.ordered) {
    const [a, b] = [i * 3, (i + 1) * 3];
    if (!(counts[a + 1] && counts[b + 1] && counts[a + 2] / counts[a + 1] > counts[b + 2] / counts[b + 1])) {
      failed |= 1 << 5;
      break;
    }
  }
  let score: number | null;
  if (limits.objective === "conversions") score = conversions;
  else if (limits.objective === "lift-lower") score = ci && population.rate ? ci[0] / population.rate : null;
  else {
    score = 0;
    for (let t = 0; t < slots - 1; ++t) if (counts[t * 3 + 1]) score += (counts[t * 3] * counts[t * 3 + 2]) / counts[t * 3 + 1];
  }
  if (limits.skip) failed &= ~limits.skip;
  let fails = 0;
  for (let b = failed; b; b &= b - 1) fails++;
  return {score, fails, failed, labeled};
}

/** The constraints of a report (a candidate's or the current rules'), in words. */
export function constraintResults(report: Report, tierId: string, limits: Limits): ConstraintResult[] {
  const row = report.tiers.find((t) => t.id === tierId)!;
  const fallback = report.tiers.find((t) => t.fallback)!;
  const pctText = (x: number | null) => (x === null ? "none" : `${(x * 100).toFixed(2)}%`);
  const times = (x: number | null) => (x === null ? "none" : `${x.toFixed(2)}×`);
  const share = report.population.leads ? (report.population.leads - fallback.leads) / report.population.leads : null;
  const order = limits.ordered.map((i) => [report.tiers[i], report.tiers[i + 1]] as const).find(([a, b]) => !(a.rate !== null && b.rate !== null && a.rate > b.rate));
  const results: ConstraintResult[] = [
    {id: "min-labeled", pass: row.labeled >= limits.minLabeled, detail: `${row.labeled} labeled leads (at least ${limits.minLabeled})`},
    ...(limits.minRate !== null ? [{id: "min-rate" as const, pass: row.rate !== null && row.rate >= limits.minRate, detail: `rate ${pctText(row.rate)} (at least ${pctText(limits.minRate)})`}] : []),
    {id: "min-lift", pass: row.lift !== null && row.lift >= limits.minLift, detail: `lift vs all leads ${times(row.lift)} (at least ${times(limits.minLift)})`},
    {id: "priority-share", pass: share !== null && share >= limits.priorityShare[0] && share <= limits.priorityShare[1], detail: `priority tiers hold ${pctText(share)} of leads (${pctText(limits.priorityShare[0])}–${pctText(limits.priorityShare[1])})`},
    {id: "ci-separation", pass: !!(row.ci && fallback.ci && row.ci[0] > fallback.ci[1]), detail: `interval's lower end ${pctText(row.ci?.[0] ?? null)} above ${fallback.id}'s upper end ${pctText(fallback.ci?.[1] ?? null)}`},
    {id: "tier-order", pass: !order, detail: order ? `${order[0].id} (${pctText(order[0].rate)}) no longer above ${order[1].id} (${pctText(order[1].rate)})` : "every tier that was above the next one still is"}
  ];
  return results.filter((c) => !((limits.skip ?? 0) & (1 << CONSTRAINTS.indexOf(c.id))));
}

/** A cell that meets the constraints (or misses fewest of them), with its rank keys. */
interface Ranked {
  cell: number;
  score: number;
  fails: number;
  labeled: number;
  /** How far its values are from the current ones (tie-break: the smaller change). */
  distance: number;
  /** Its per-tier counts (to drop cells that count exactly the same leads). */
  key: string;
}

const better = (a: Ranked, b: Ranked) => a.fails - b.fails || b.score - a.score || b.labeled - a.labeled || a.distance - b.distance || a.cell - b.cell;

export interface Evaluation {
  /** Valid cells evaluated. */
  evaluated: number;
  /** Cells meeting every constraint, best first, distinct in their counts (at most `top`). */
  best: number[];
  /** When none meets them: the cell missing fewest. */
  closest: number | null;
}

/**
 * Every valid cell of the grid judged on the fit window: the best `top` that meet every
 * constraint (cells that count the same leads as a better one are left out), or the closest.
 */
export async function evaluateGrid(grid: Grid, limits: Limits, top: number, options: RunOptions = {}): Promise<Evaluation> {
  options.signal?.throwIfAborted();
  const k = grid.plan.tierIndex;
  const counts = new Float64Array(grid.slots * 3);
  let population = {leads: 0, labeled: 0, conversions: 0, rate: null as number | null};
  if (grid.cells > 0) {
    grid.counts(0, counts);
    for (let s = 0; s < grid.slots; ++s) {
      population.leads += counts[s * 3];
      population.labeled += counts[s * 3 + 1];
      population.conversions += counts[s * 3 + 2];
    }
    population = {...population, rate: population.labeled ? population.conversions / population.labeled : null};
  }
  const current = grid.axes.map((a) => a.threshold.current);
  const spans = grid.axes.map((a) => (a.candidates.length > 1 ? a.candidates[a.candidates.length - 1] - a.candidates[0] : 1) || 1);
  let evaluated = 0;
  // The best (fails = 0) kept sorted and short; the closest kept aside.
  const kept: Ranked[] = [];
  let closest: Ranked | null = null;
  const slice = 1 << 14;
  for (let cell = 0; cell < grid.cells; ++cell) {
    if (cell > 0 && cell % slice === 0) {
      await yieldToPage();
      options.signal?.throwIfAborted();
    }
    if (!grid.valid(cell)) continue;
    evaluated++;
    grid.counts(cell, counts);
    const judged = judge(counts, k, population, limits);
    const values = grid.valuesOf(cell);
    let distance = 0;
    for (let d = 0; d < values.length; ++d) distance += Math.abs(values[d] - current[d]) / spans[d];
    const r: Ranked = {cell, score: judged.score ?? -Infinity, fails: judged.fails, labeled: judged.labeled, distance, key: ""};
    if (judged.fails > 0) {
      if (kept.length === 0 && (!closest || better(r, closest) < 0)) closest = r;
      continue;
    }
    if (kept.length >= top && better(r, kept[kept.length - 1]) >= 0) continue;
    r.key = Array.from(counts).join(",");
    const same = kept.findIndex((x) => x.key === r.key);
    if (same >= 0) {
      if (better(r, kept[same]) < 0) kept.splice(same, 1);
      else continue;
    }
    kept.push(r);
    kept.sort(better);
    if (kept.length > top) kept.pop();
  }
  return {evaluated, best: kept.map((r) => r.cell), closest: kept.length === 0 && closest ? closest.cell : null};
}

// --- The tuner on a connector --------------------------------------------------------------------

/** The first and last contact dates of a population (null when it is empty). */
async function dateSpan(conn: Connector, population: Population, table?: string): Promise<[string, string] | null> {
  const d = quoteIdentifier("contacted_date", conn.dialect);
  const inner = scoredLeadsSql({tiers: [], where: population, extra: [[d, "d"]], dialect: conn.dialect, table, indent: "  "});
  const [row] = await conn.query(`SELECT MIN(d) AS first, MAX(d) AS last\nFROM (\n${inner}\n) AS scored`);
  return row && row.first !== null && row.last !== null ? [String(row.first).slice(0, 10), String(row.last).slice(0, 10)] : null;
}

/** The axes of a tuning: per freed threshold, its candidates on the fit window. */
export function tuneAxes(thresholds: readonly Threshold[], distributions: readonly Distribution[], steps: number): Axis[] {
  return thresholds.map((t, d) => {
    const otherFreed = thresholds.some((u) => u !== t && u.alternative === t.alternative && u.position === t.position);
    // (A single threshold takes any value: no copy of its distribution.)
    const dist = otherFreed || t.bound === null ? distributions[d] : admissible(distributions[d], (v) => (t.bound === "low" ? v <= t.other! : t.bound === "high" ? v >= t.other! : true));
    return {threshold: t, candidates: sortedCandidates(t, [...candidateValues(dist, steps), t.current], otherFreed)};
  });
}

/** Limits of a request on the current rules' fit report. */
export function tuneLimits(request: TuneRequest, current: Report, thresholds: Thresholds): Limits {
  const objective = request.objective ?? "lift-lower";
  const row = current.tiers.find((t) => t.id === request.tier)!;
  const ordered: number[] = [];
  for (let i = 0; i + 1 < current.tiers.length; ++i) {
    const [a, b] = [current.tiers[i].rate, current.tiers[i + 1].rate];
    if (a !== null && b !== null && a > b) ordered.push(i);
  }
  return {
    objective,
    minLabeled: request.minLabeled ?? thresholds.minLabeled,
    minLift: request.minLift ?? thresholds.minPriorityLift,
    minRate: request.minRate ?? (objective === "conversions" ? row.rate : null),
    priorityShare: thresholds.priorityShare,
    ordered,
    skip: (request.skip ?? []).reduce((bits, id) => bits | (1 << CONSTRAINTS.indexOf(id)), 0)
  };
}

/** The tier's test lifts over the periods. */
async function backtestOf(conn: Connector, rules: RuleSet, tierId: string, options: TuneOptions): Promise<BacktestSummary | null> {
  if (!options.periods?.length) return null;
  const bt = await runBacktest(conn, rules, options.periods, {...(options.base ?? {}), thresholds: options.thresholds, columns: options.columns, table: options.table});
  const s = bt.stability.find((x) => x.level === "tier" && x.id === tierId)!;
  return {lifts: s.lifts, mean: s.mean, min: s.min, sd: s.sd};
}

/** Whether the holdout lift lies outside the fit lift's interval (the fit rate's Wilson interval over the fit population's rate). */
function outside(fit: TierNumbers, fitRate: number | null, holdout: TierNumbers): boolean | null {
  if (!fit.ci || !fitRate || holdout.lift === null) return null;
  return holdout.lift < fit.ci[0] / fitRate || holdout.lift > fit.ci[1] / fitRate;
}

/**
 * Tunes the request's thresholds on `fit` by SQL on any connector: one aggregate query (or one
 * pass of the loop) per window — the fit, the holdout and each backtest period's test window —
 * counts every candidate at once; the shown candidates' numbers are read from those grids.
 */
export async function tune(conn: Connector, rules: RuleSet, request: TuneRequest, options: TuneOptions): Promise<Tuning> {
  const checked = parseRuleSet(rules, options.columns);
  const thresholds = resolveThresholds(options.thresholds);
  const freed = freedThresholds(checked, request, options.columns);
  const plan = planGrid(checked, freed);
  const steps = request.steps ?? TUNE_STEPS;
  const top = request.top ?? TUNE_TOP;
  if (!(Number.isInteger(steps) && steps >= 2)) throw new ThresholdError(`values per threshold must be a whole number ≥ 2, got ${steps}`);
  if (!(Number.isInteger(top) && top >= 1)) throw new ThresholdError(`the number of candidates shown must be a whole number ≥ 1, got ${top}`);
  const common = {table: options.table, columns: options.columns, thresholds: options.thresholds};
  const fitDescription = describePopulation(options.fit);
  // (Each step lets the page in first: the work between two awaits on the engine would add up.)
  const step = async (what: string) => {
    await yieldToPage();
    options.signal?.throwIfAborted();
    options.progress?.(what);
  };
  await step(`counting the fit window (${fitDescription})`);
  const currentFit = await tierReport(conn, checked, {...common, population: options.fit});
  if (currentFit.population.labeled === 0) throw new ThresholdError(`the fit window (${fitDescription}) has no labeled leads: nothing to tune on`, "data");
  const limits = tuneLimits(request, currentFit, thresholds);

  // One query for the fit window: every lead's classification and the freed columns' values (or
  // the loop over the window's typed columns, when the caller has them and the loop can count the rules).
  const signaturesOf = async (population: Population, distributions = false): Promise<Signatures> => {
    const leads = await options.leadColumns?.(population);
    const viaLoop = leads ? await signaturesFromColumns(plan, leads, options) : null;
    if (leads && viaLoop && !("reason" in viaLoop)) {
      return distributions ? {...viaLoop, distributions: freed.map((t) => leadsDistribution(leads, t.column))} : viaLoop;
    }
    return signaturesFromRows(plan, await conn.query(signaturesSql(plan, population, {dialect: conn.dialect, table: options.table, distributions})), {distributions});
  };
  const fitSignatures = await signaturesOf(options.fit, true);
  const distributions = fitSignatures.distributions!;
  for (const [d, t] of freed.entries()) if (distributions[d].values.length === 0) throw new ThresholdError(`${t.column} has no values in the fit window (${fitDescription})`, "data");
  await yieldToPage();
  const axes = tuneAxes(freed, distributions, steps);
  await step(`evaluating ${axes.reduce((n, a) => n * a.candidates.length, 1).toLocaleString("en-US")} candidate combinations`);
  const fitGrid = await countGrid(plan, fitSignatures, axes, options);
  await yieldToPage();
  const evaluation = await evaluateGrid(fitGrid, limits, top, options);
  await step(`counting the holdout (${describePopulation(options.holdout)})`);
  const holdoutGrid = await countGrid(plan, await signaturesOf(options.holdout), axes, options);
  const currentHoldout = await tierReport(conn, checked, {...common, population: options.holdout});

  // The backtest's test windows counted into the same grid, one pass each: every shown candidate's
  // test lifts then come from its cell, not from one backtest query per candidate.
  const periods = options.periods ?? [];
  const periodGrids: Grid[] = [];
  for (const period of periods) {
    await step(`counting the backtest's ${period.name} test window`);
    periodGrids.push(await countGrid(plan, await signaturesOf(windowPopulation(period, "test", options.base)), axes, options));
  }
  const backtestAt = (ruleSet: RuleSet, cell: number): BacktestSummary | null => {
    if (!periods.length) return null;
    const lifts = periodGrids.map((grid, i) => {
      const report = reportFromCounts(ruleSet, grid.countRows(cell), {population: windowPopulation(periods[i], "test", options.base), thresholds: options.thresholds});
      return report.tiers.find((t) => t.id === request.tier)!.lift;
    });
    const {mean, min, sd} = summarizeLifts(lifts);
    return {lifts, mean, min, sd};
  };

  const candidateAt = async (cell: number): Promise<Candidate> => {
    const values = fitGrid.valuesOf(cell);
    const ruleSet = withThresholds(checked, freed, values);
    const fitReport = reportFromCounts(ruleSet, fitGrid.countRows(cell), {population: options.fit, thresholds: options.thresholds});
    const holdoutReport = reportFromCounts(ruleSet, holdoutGrid.countRows(cell), {population: options.holdout, thresholds: options.thresholds});
    const fit = pick(fitReport.tiers.find((t) => t.id === request.tier)!);
    const holdout = pick(holdoutReport.tiers.find((t) => t.id === request.tier)!);
    const judged = judge(fitGrid.counts(cell), plan.tierIndex, fitReport.population, limits);
    options.signal?.throwIfAborted();
    return {
      values: Object.fromEntries(freed.map((t, d) => [thresholdId(t), values[d]])),
      ruleSet,
      fit,
      holdout,
      backtest: backtestAt(ruleSet, cell),
      constraints: constraintResults(fitReport, request.tier, limits),
      score: judged.score,
      holdoutOutsideFit: outside(fit, fitReport.population.rate, holdout)
    };
  };
  const candidates: Candidate[] = [];
  for (const [i, cell] of evaluation.best.entries()) {
    await step(`candidate ${i + 1} of ${evaluation.best.length}`);
    candidates.push(await candidateAt(cell));
  }
  if (evaluation.closest !== null) await step("the closest candidate");
  const closest = evaluation.closest !== null ? await candidateAt(evaluation.closest) : undefined;
  await step("the current rules");

  // (The current values are among the candidates unless a range's other end excludes them.)
  const currentIndices = axes.map((a) => a.candidates.indexOf(a.threshold.current));
  const currentCell = currentIndices.every((j) => j >= 0) ? fitGrid.cellOf(currentIndices) : null;
  const currentRow = pick(currentFit.tiers.find((t) => t.id === request.tier)!);
  const currentHoldoutRow = pick(currentHoldout.tiers.find((t) => t.id === request.tier)!);
  const current = {
    ruleSet: checked,
    fit: currentRow,
    holdout: currentHoldoutRow,
    backtest: currentCell === null ? await backtestOf(conn, checked, request.tier, options) : backtestAt(checked, currentCell),
    constraints: constraintResults(currentFit, request.tier, limits),
    score: judge(countsOf(currentFit), plan.tierIndex, currentFit.population, limits).score,
    holdoutOutsideFit: outside(currentRow, currentFit.population.rate, currentHoldoutRow)
  };

  await step("comparing the windows");
  const warnings = await tuneWarnings(conn, options, currentHoldout);
  const result: Tuning = {
    tier: request.tier,
    free: freed.map(thresholdId),
    objective: limits.objective,
    evaluated: evaluation.evaluated,
    fit: {description: fitDescription},
    holdout: {description: describePopulation(options.holdout)},
    current,
    candidates,
    warnings
  };
  if (closest) {
    const misses = closest.constraints.filter((c) => !c.pass);
    result.closest = closest;
    result.message = `no candidate of ${evaluation.evaluated.toLocaleString("en-US")} meets the constraints; the closest (${Object.entries(closest.values).map(([k, v]) => `${k} = ${v}`).join(", ")}) misses ${misses.map((c) => `${c.id}: ${c.detail}`).join("; ")}`;
  } else if (evaluation.evaluated === 0) {
    result.message = "no candidate to evaluate: the freed thresholds have no admissible values";
  }
  return result;
}

/** A report's tier counts in the grid's layout (tier × 3, fallback last). */
function countsOf(report: Report): Float64Array {
  const out = new Float64Array(report.tiers.length * 3);
  report.tiers.forEach((t, i) => out.set([t.leads, t.labeled, t.conversions], i * 3));
  return out;
}

/** What the reader must know to trust the out-of-sample numbers. */
async function tuneWarnings(conn: Connector, options: TuneOptions, holdout: Report): Promise<string[]> {
  const warnings: string[] = [];
  const fitSpan = await dateSpan(conn, options.fit, options.table);
  const holdoutSpan = await dateSpan(conn, options.holdout, options.table);
  const overlaps = (a: readonly [string, string], b: readonly [string, string]) => a[0] <= b[1] && b[0] <= a[1];
  if (holdout.population.labeled === 0) warnings.push(`the holdout (${describePopulation(options.holdout)}) has no labeled leads: no out-of-sample rate`);
  if (fitSpan && holdoutSpan && overlaps(fitSpan, holdoutSpan) && !(options.fit.split && options.holdout.split && options.fit.split !== options.holdout.split)) {
    warnings.push(`the holdout (${holdoutSpan.join(" – ")}) overlaps the fit window (${fitSpan.join(" – ")}): its numbers are not fully out of sample`);
  }
  const inside = (options.periods ?? []).filter((p) => fitSpan && overlaps(p.test, fitSpan)).map((p) => p.name);
  if (inside.length) warnings.push(`the backtest's test windows of ${inside.join(", ")} overlap the fit window (${fitSpan!.join(" – ")}): for candidates fitted there they are not out of sample`);
  return warnings;
}

