/**
 * What a tier gets when one or more of its numeric thresholds move, everything else fixed, with
 * first-match semantics: leads an earlier tier catches stay there, leads the tier releases fall to
 * the tier they would get without it. The threshold sweep (one threshold, issue 16 §1) and the
 * tuner (tune.ts, up to three) both count through the grid built here.
 *
 * How, without one query or loop per candidate value: every lead is classified ONCE — its tier
 * when an earlier tier catches it; "in the tier whatever the thresholds" when an alternative
 * without a freed threshold catches it; otherwise the tier it falls to (its "next" tier), whether
 * each alternative with freed thresholds holds on its other conditions, and the freed columns'
 * values. For a lead, each freed condition holds on a ray of candidate values (x ≤ v holds from
 * the first v ≥ x up), so the tier takes the lead on a union of products of rays; by
 * inclusion–exclusion that is a signed sum of corners, added to a grid and cumulated along each
 * axis: one pass over the leads, one over the grid.
 *
 * The classification comes from places that must agree (test/unit/sweep.test.ts holds them to
 * it, and all to tierReport of the rule set with the thresholds set): an aggregate SQL query over
 * the scored leads (any engine, BigQuery included: only groups come back), or the tier page's
 * compiled JavaScript loop over typed columns ({@link signaturesFromColumns}). A sweep (one
 * threshold) fuses the loop's classification and the grid's count into one compiled pass that
 * writes nothing per lead ({@link sweepColumns}).
 */
import type {ColumnInfo} from "../column-info.js";
import type {Connector, Row} from "../connector.js";
import {columnDistribution, compareNumbers, distributionOf, queryColumns, type Distribution, type TypedColumn} from "../lead-arrays.js";
import {LEADS_TABLE, type Population} from "../population.js";
import {compileCheckedTierCase, compileCondition} from "../rules/compile.js";
import {normalizeCondition, tierAlternatives} from "../rules/conditions.js";
import {checkValues, columnRead, compileSweepKernel, compileTierIndex, LOOP_SLICE, loopKinds, numberRead, ruleColumns, type ColumnRead} from "../rules/js-compile.js";
import {parseRuleSet} from "../rules/parse.js";
import type {Condition, RuleSet, Tier} from "../rules/types.js";
import {scoredLeadsSql} from "../scored-leads.js";
import {quoteIdentifier, type Dialect} from "../sql.js";
import {wilson} from "../stats.js";
import {inSlices} from "../yield.js";

// --- Thresholds ---------------------------------------------------------------------------------

/**
 * The operators whose operand is an ordered number threshold. `eq` is not one: it picks a value
 * rather than a cut point (its "sweep" would be the signals page's band table, value by value).
 */
export const THRESHOLD_OPERATORS = ["lt", "lte", "gt", "gte", "between", "notBetween"] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];
export type Bound = "low" | "high";

const isThresholdOperator = (op: string): op is ThresholdOperator => (THRESHOLD_OPERATORS as readonly string[]).includes(op);
const isRange = (op: ThresholdOperator) => op === "between" || op === "notBetween";

/**
 * A request that does not fit the rule set or the data (no such tier or condition, a condition
 * that is not a numeric threshold, a bound where none applies): one readable sentence. `data`
 * marks problems of the data rather than of the request (a column holding NaN).
 */
export class ThresholdError extends Error {
  constructor(
    message: string,
    readonly kind: "request" | "data" = "request"
  ) {
    super(message);
    this.name = "ThresholdError";
  }
}

/** A condition by position, as written: `3` (a `when` tier) or `2.2` (alternative 2 of `anyOf`), 1-based. */
export interface ConditionRef {
  alternative: number | null;
  position: number;
}

/** `"3"` or `"2.2"` as a {@link ConditionRef}; null when it is neither. */
export function parseConditionRef(text: string): ConditionRef | null {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return null;
  const [a, b] = [Number(m[1]), m[2] === undefined ? null : Number(m[2])];
  if (a < 1 || (b !== null && b < 1)) return null;
  return b === null ? {alternative: null, position: a} : {alternative: a, position: b};
}

export const formatConditionRef = (ref: ConditionRef) => (ref.alternative === null ? String(ref.position) : `${ref.alternative}.${ref.position}`);

/** One numeric threshold of a tier, located. */
export interface Threshold {
  tier: string;
  tierIndex: number;
  /** 0-based index into the tier's alternatives (a `when` tier has one). */
  alternative: number;
  /** 0-based position of the condition in its list. */
  position: number;
  /** The condition as the request named it: `3` or `2.2`. */
  condition: string;
  column: string;
  operator: ThresholdOperator;
  /** Which end of a range moves; null for a single threshold. */
  bound: Bound | null;
  /** The value in the rule set. */
  current: number;
  /** The range's other end (fixed unless also freed); null for a single threshold. */
  other: number | null;
}

/** `2.2`, or `2.2:low` for an end of a range: how the tuner names a freed threshold. */
export const thresholdId = (t: Pick<Threshold, "condition" | "bound">) => (t.bound ? `${t.condition}:${t.bound}` : t.condition);

/**
 * Finds the threshold a request names: tier `tierId`, condition `ref`, `bound` for a range.
 * @throws {ThresholdError} naming what does not exist or cannot be swept
 */
export function locateThreshold(rules: RuleSet, tierId: string, ref: ConditionRef | string, bound: Bound | null = null, columns?: readonly ColumnInfo[]): Threshold {
  const tierIndex = rules.tiers.findIndex((t) => t.id === tierId);
  if (tierIndex < 0) {
    if (tierId === rules.fallback.id) throw new ThresholdError(`${tierId} is the fallback tier of ${rules.name}: it has no conditions to move`);
    throw new ThresholdError(`no tier "${tierId}" in ${rules.name} (its tiers: ${rules.tiers.map((t) => t.id).join(", ")})`);
  }
  const tier = rules.tiers[tierIndex];
  const parsed = typeof ref === "string" ? parseConditionRef(ref) : ref;
  if (!parsed) throw new ThresholdError(`a condition is named by its position, N or A.N (1-based), got ${JSON.stringify(ref)}`);
  const alternatives = tierAlternatives(tier);
  let alternative: number;
  if (tier.anyOf) {
    if (parsed.alternative === null) throw new ThresholdError(`tier ${tierId} is an anyOf of ${alternatives.length} lists: name the condition as A.N (condition N of list A), e.g. 1.${parsed.position}`);
    if (parsed.alternative > alternatives.length) throw new ThresholdError(`tier ${tierId} has no list ${parsed.alternative} (its anyOf has lists 1–${alternatives.length})`);
    alternative = parsed.alternative - 1;
  } else {
    if (parsed.alternative !== null) throw new ThresholdError(`tier ${tierId} has one list of conditions (when): name the condition by its position, 1–${alternatives[0].length}`);
    alternative = 0;
  }
  const list = alternatives[alternative];
  const name = formatConditionRef(parsed);
  if (parsed.position > list.length) {
    throw new ThresholdError(`tier ${tierId} has no condition ${name} (${tier.anyOf ? `list ${alternative + 1} has conditions 1–${list.length}` : `its conditions are 1–${list.length}`})`);
  }
  const c = normalizeCondition(list[parsed.position - 1]);
  if (!isThresholdOperator(c.op)) {
    throw new ThresholdError(`condition ${name} of tier ${tierId} tests ${c.column} with ${c.op}; only numeric thresholds (${THRESHOLD_OPERATORS.join(", ")}) can be moved`);
  }
  const info = columns?.find((col) => col.name === c.column);
  if (info && info.kind !== "number") throw new ThresholdError(`condition ${name} of tier ${tierId} tests ${c.column}, a ${info.kind === "string" ? "text" : info.kind} column; only numeric thresholds can be moved`);
  if (info) {
    // The candidates are compared with the column's values in JavaScript: they must be exact doubles.
    const read = numberRead(info);
    if (!read.ok) throw new ThresholdError(`condition ${name} of tier ${tierId}: ${read.reason}; only exact numbers can be moved`);
  }
  const op = c.op;
  if (isRange(op)) {
    if (!bound) throw new ThresholdError(`condition ${name} of tier ${tierId} is a range (${c.column} ${op} ${JSON.stringify(c.value)}): say which end moves, low or high`);
    const [low, high] = c.value as [number, number];
    return {tier: tierId, tierIndex, alternative, position: parsed.position - 1, condition: name, column: c.column, operator: op, bound, current: bound === "low" ? low : high, other: bound === "low" ? high : low};
  }
  if (bound) throw new ThresholdError(`condition ${name} of tier ${tierId} is ${op} ${c.value}, a single threshold: low and high are only for between and notBetween`);
  return {tier: tierId, tierIndex, alternative, position: parsed.position - 1, condition: name, column: c.column, operator: op, bound: null, current: c.value as number, other: null};
}

/** Whether `value` can stand at the threshold: a range's ends must stay in order (min ≤ max). */
export function admits(t: Threshold, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (t.bound === "low") return value <= t.other!;
  if (t.bound === "high") return value >= t.other!;
  return true;
}

/** The rule set with each threshold set to its value (a copy; the input is not changed). */
export function withThresholds(rules: RuleSet, thresholds: readonly Threshold[], values: readonly number[]): RuleSet {
  const copy = structuredClone(rules);
  thresholds.forEach((t, i) => {
    const condition = tierAlternatives(copy.tiers[t.tierIndex])[t.alternative][t.position] as unknown as Record<string, unknown>;
    if (t.bound === null) condition[t.operator] = values[i];
    else {
      const [low, high] = condition[t.operator] as [number, number];
      condition[t.operator] = t.bound === "low" ? [values[i], high] : [low, values[i]];
    }
  });
  return copy;
}

// --- Candidate values ---------------------------------------------------------------------------

/**
 * Candidate values from a distribution: every distinct value when there are at most `count`,
 * else `count` quantiles — the values at ranks ⌊i·(n−1)/(count−1)⌋ of the n sorted leads, i = 0 …
 * count−1 (the minimum and maximum included, repeats merged).
 */
export function candidateValues(distribution: Distribution, count: number): number[] {
  const {values, counts} = distribution;
  if (values.length <= count) return [...values];
  let n = 0;
  for (const c of counts) n += c;
  const picked: number[] = [];
  let k = 0;
  let below = 0; // leads before values[k]
  for (let i = 0; i < count; ++i) {
    const rank = count === 1 ? 0 : Math.floor((i * (n - 1)) / (count - 1));
    while (below + counts[k] <= rank) below += counts[k++];
    if (picked[picked.length - 1] !== values[k]) picked.push(values[k]);
  }
  return picked;
}

/**
 * Sorted, distinct, admissible values (NaN is never a threshold). With `otherFreed` (both ends of
 * a range move) only the grid's cells are checked for order (Grid.valid), not each value.
 */
export function sortedCandidates(t: Threshold, values: Iterable<number>, otherFreed = false): Float64Array {
  const kept = [...new Set(values)].filter((v) => (otherFreed ? Number.isFinite(v) : admits(t, v)));
  return Float64Array.from(kept).sort();
}

// --- The grid plan: the rule set taken apart around the freed thresholds -------------------------

/** An alternative of the tier with at least one freed threshold: its other conditions and its axes. */
interface FreedAlternative {
  /** 0-based index in the tier's alternatives. */
  index: number;
  /** The axes (positions in `thresholds`) it holds. */
  dims: number[];
  /** Its conditions but the freed ones, and "present" for every freed column (NULL never matches). */
  fixed: Condition[];
}

export interface GridPlan {
  rules: RuleSet;
  tierIndex: number;
  thresholds: Threshold[];
  /**
   * The rule set with the tier replaced by its alternatives that have no freed threshold (or
   * removed when it has none): its CASE gives each lead its earlier tier, "in the tier" (index
   * `tierIndex`, when there is such an alternative) or the tier it falls to.
   */
  base: RuleSet;
  /** Whether the tier has an alternative without freed thresholds. */
  hasConst: boolean;
  alternatives: FreedAlternative[];
}

const isFreed = (thresholds: readonly Threshold[], alternative: number, position: number) => thresholds.some((t) => t.alternative === alternative && t.position === position);

/**
 * Takes the rule set apart around the freed thresholds (all of one tier).
 * @throws {ThresholdError} for thresholds of different tiers, one named twice, or both ends of a notBetween
 */
export function planGrid(rules: RuleSet, thresholds: readonly Threshold[]): GridPlan {
  if (thresholds.length === 0) throw new ThresholdError("no threshold to move");
  const tierIndex = thresholds[0].tierIndex;
  if (thresholds.some((t) => t.tierIndex !== tierIndex)) throw new ThresholdError("the thresholds moved together must be of one tier");
  const seen = new Set<string>();
  for (const t of thresholds) {
    const key = thresholdId(t);
    if (seen.has(key)) throw new ThresholdError(`threshold ${key} of tier ${t.tier} is named twice`);
    seen.add(key);
  }
  for (const t of thresholds) {
    if (t.operator === "notBetween" && thresholds.some((u) => u !== t && u.alternative === t.alternative && u.position === t.position)) {
      throw new ThresholdError(`condition ${t.condition} of tier ${t.tier} is a notBetween: move one of its ends at a time`);
    }
  }
  const tier = rules.tiers[tierIndex];
  const alternatives = tierAlternatives(tier);
  const constants = alternatives.filter((list, a) => !list.some((_, p) => isFreed(thresholds, a, p)));
  const freed: FreedAlternative[] = [];
  alternatives.forEach((list, a) => {
    const dims = thresholds.flatMap((t, d) => (t.alternative === a ? [d] : []));
    if (dims.length === 0) return;
    const columns = [...new Set(dims.map((d) => thresholds[d].column))];
    const fixed = [...list.filter((_, p) => !isFreed(thresholds, a, p)), ...columns.map((column) => ({column, isNull: false}) as Condition)];
    freed.push({index: a, dims, fixed});
  });
  const constTier: Tier | null = constants.length ? {id: tier.id, label: tier.label, anyOf: constants} : null;
  const tiers = rules.tiers.flatMap((t, i) => (i !== tierIndex ? [t] : constTier ? [constTier] : []));
  return {rules, tierIndex, thresholds: [...thresholds], base: {...rules, tiers}, hasConst: constTier !== null, alternatives: freed};
}

/** The base CASE's index of a lead → its code: the tier's index means "in the tier whatever the thresholds". */
function baseCode(plan: GridPlan, index: number): number {
  return plan.hasConst || index < plan.tierIndex ? index : index + 1;
}

/** The first base-CASE index of a lead that reaches the tier and may or may not be taken by it. */
const firstOpen = (plan: GridPlan) => plan.tierIndex + (plan.hasConst ? 1 : 0);

// --- Signatures: the leads, classified once -----------------------------------------------------

/**
 * The leads (one row each, or groups of leads with the same classification) as the grid reads
 * them. `base`: 0 … tierIndex−1 an earlier tier; tierIndex "in the tier whatever the thresholds";
 * above, the tier (index, the fallback = the tier count) the lead gets when this tier does not
 * take it. `holds[a]`: 1 where freed alternative a holds on its other conditions (its freed columns
 * present). `values[d]`: the freed column of axis d (read only where its alternative holds).
 */
export interface Signatures {
  rows: number;
  base: ArrayLike<number>;
  holds: ArrayLike<number>[];
  /** The value of `holds[a]` that means "holds" (1 from SQL; 0, the one tier's index, from the loop). */
  holdsWhen: number[];
  values: ArrayLike<number>[];
  /** Per row counts when rows are groups; null when every row is one lead labelled by `label`. */
  weights: {leads: ArrayLike<number>; labeled: ArrayLike<number>; conversions: ArrayLike<number>} | null;
  label: TypedColumn | null;
  /** Each freed column's values in the population, when the query was asked for them. */
  distributions: Distribution[] | null;
}

export interface SignaturesSqlOptions {
  dialect?: Dialect;
  table?: string;
  /**
   * Also each freed column's distribution in the population (for candidate values), in the same
   * query: its groups follow the signatures' (a UNION ALL), so no lead's value comes back alone.
   */
  distributions?: boolean;
}

/**
 * The one aggregate query of a grid: leads, labeled and conversions per (base, holds…, values…)
 * over the population's scored leads, values NULL where they cannot matter. Plain SQL DuckDB and
 * BigQuery both accept (`part` 0; with `distributions`, part d + 1 counts the leads per value of
 * freed column d).
 */
export function signaturesSql(plan: GridPlan, population: Population = {}, options: SignaturesSqlOptions = {}): string {
  const {dialect = "duckdb", table = LEADS_TABLE} = options;
  const open = firstOpen(plan);
  const holds = plan.alternatives.map((a, i): [string, string] => [`CASE WHEN ${a.fixed.map((c) => compileCondition(c, dialect)).join(" AND ")} THEN 1 ELSE 0 END`, `h${i}`]);
  const values = plan.thresholds.map((t, d): [string, string] => [quoteIdentifier(t.column, dialect), `x${d}`]);
  const altOf = (d: number) => plan.alternatives.findIndex((a) => a.dims.includes(d));
  const scored = [
    "FROM (",
    // (A rule set of one tier, moving: no tier is left in the base, every lead reaches the tier.)
    scoredLeadsSql({tiers: [[plan.base.tiers.length ? compileCheckedTierCase(plan.base, {dialect, yields: "index", indent: "  "}) : "0", "base"]], where: population, extra: [...holds, ...values], dialect, table, indent: "  "}),
    ") AS scored"
  ];
  const outer = [
    "0 AS part",
    "base",
    ...holds.map(([, h]) => `CASE WHEN base >= ${open} THEN ${h} END AS ${h}`),
    ...values.map(([, x], d) => `CASE WHEN base >= ${open} AND h${altOf(d)} = 1 THEN ${x} END AS ${x}`)
  ];
  const lines = [`SELECT ${outer.join(", ")}, COUNT(*) AS leads, COUNT(label) AS labeled, COALESCE(SUM(label), 0) AS conversions`, ...scored, `GROUP BY ${outer.map((_, i) => i + 1).join(", ")}`];
  if (options.distributions) {
    values.forEach(([, x], d) => {
      const columns = ["NULL", ...holds.map(() => "NULL"), ...values.map(([, y]) => (y === x ? y : "NULL"))];
      lines.push("UNION ALL", `SELECT ${d + 1} AS part, ${columns.join(", ")}, COUNT(*) AS leads, 0 AS labeled, 0 AS conversions`, ...scored, `WHERE ${x} IS NOT NULL`, `GROUP BY ${x}`);
    });
  }
  return lines.join("\n");
}

const whole = (row: Row, key: string): number => {
  const v = Number(row[key]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`grid counts: ${key} must be a whole number ≥ 0, got ${JSON.stringify(row[key])}`);
  return v;
};

/** A freed column's value as a JavaScript number, or a reason it cannot be one exactly. */
function exactValue(column: string, v: unknown): number {
  const number = typeof v === "number" ? v : Number(v);
  if (number !== number || !Number.isFinite(number)) throw new ThresholdError(`${column} holds ${String(v)}; a threshold on it cannot be moved exactly`, "data");
  if (Number.isInteger(number) && !Number.isSafeInteger(number)) throw new ThresholdError(`${column} holds integers beyond 2^53; a threshold on it cannot be moved exactly`, "data");
  return number;
}

/** The rows of {@link signaturesSql} as signatures (values as JavaScript numbers; see the module comment). */
export function signaturesFromRows(plan: GridPlan, rows: readonly Row[], options: {distributions?: boolean} = {}): Signatures {
  const groups = rows.filter((r) => Number(r.part ?? 0) === 0);
  const n = groups.length;
  const base = new Int16Array(n);
  const holds = plan.alternatives.map(() => new Uint8Array(n));
  const values = plan.thresholds.map(() => new Float64Array(n));
  const leads = new Float64Array(n);
  const labeled = new Float64Array(n);
  const conversions = new Float64Array(n);
  groups.forEach((row, i) => {
    base[i] = baseCode(plan, Number(row.base));
    holds.forEach((h, a) => (h[i] = Number(row[`h${a}`] ?? 0) === 1 ? 1 : 0));
    values.forEach((x, d) => {
      const v = row[`x${d}`];
      x[i] = v === null || v === undefined ? NaN : exactValue(plan.thresholds[d].column, v);
    });
    leads[i] = whole(row, "leads");
    labeled[i] = whole(row, "labeled");
    conversions[i] = whole(row, "conversions");
  });
  const distributions = options.distributions ? plan.thresholds.map((t, d) => distributionOf(rows.filter((r) => Number(r.part) === d + 1).map((r) => [exactValue(t.column, r[`x${d}`]), whole(r, "leads")] as const))) : null;
  return {rows: n, base, holds, holdsWhen: holds.map(() => 1), values, weights: {leads, labeled, conversions}, label: null, distributions};
}

/** The population's leads as typed columns, the way the tier page's loop reads them. */
export interface LeadColumns {
  rows: number;
  /** At least the rule set's columns. */
  columns: ReadonlyMap<string, TypedColumn>;
  /** How the loop compares each column. */
  kinds: ReadonlyMap<string, "number" | "boolean">;
  /** 0/1, NULL (invalid) where the lead is not labeled (see labelExpression). */
  label: TypedColumn;
}

export interface RunOptions {
  /** Stops the work between two slices (throws the signal's reason). */
  signal?: AbortSignal;
  /** Rows between two yields to the page. */
  slice?: number;
  /** A sweep over whole numbers spanning at most this many integers reads a table from value to first cell (default 2^20), else searches the candidates. */
  rayTable?: number;
}

/**
 * Reads the population's leads into typed columns (the rule set's columns and the label), as the
 * tier page's preview does; a reason instead when a column cannot be read exactly.
 */
export async function readLeadColumns(conn: Connector, schema: readonly ColumnInfo[], population: Population, names: readonly string[], table = LEADS_TABLE): Promise<LeadColumns | {reason: string}> {
  const reads = new Map<string, Extract<ColumnRead, {ok: true}>>();
  for (const name of names) {
    const info = schema.find((c) => c.name === name);
    if (!info) return {reason: `${name} is not a column of the data`};
    const read = columnRead(info);
    if (!read.ok) return {reason: read.reason};
    reads.set(name, read);
  }
  const expression = (name: string) => {
    const column = quoteIdentifier(name, "duckdb");
    const cast = reads.get(name)!.cast;
    return cast === "none" ? column : `CAST(${column} AS ${cast === "double" ? "DOUBLE" : "TINYINT"})`;
  };
  const sql = scoredLeadsSql({tiers: [], where: population, labelCast: "TINYINT", extra: names.map((n, k) => [expression(n), `c${k}`] as const), table});
  const batch = await queryColumns(conn, sql, ["label", ...names.map((_, k) => `c${k}`)]);
  const columns = new Map<string, TypedColumn>();
  for (const [k, name] of names.entries()) {
    const column = batch.columns.get(`c${k}`)!;
    const why = checkValues(name, reads.get(name)!, column);
    if (why) return {reason: why};
    columns.set(name, column);
  }
  return {rows: batch.rows, columns, kinds: loopKinds(schema, names), label: batch.columns.get("label")!};
}

/**
 * The signatures of every lead, by the tier page's compiled loop (rules/js-compile.ts) over typed
 * columns: what {@link signaturesSql} gives, one row per lead. A reason instead when the loop
 * cannot count the rule set (a text column, an operator it declines; the caller then uses SQL).
 */
export async function signaturesFromColumns(plan: GridPlan, leads: LeadColumns, options: RunOptions = {}): Promise<Signatures | {reason: string}> {
  const unread = unreadable(plan, leads);
  if (unread) return unread;
  const names = loopColumns(plan);
  const nullable = new Set(names.filter((n) => leads.columns.get(n)!.valid !== null));
  const inputs = {columns: names.map((n) => leads.columns.get(n)!)};
  const one = (rules: RuleSet) => compileTierIndex(rules, names, leads.kinds, nullable);
  const base = one(plan.base);
  if (!base.ok) return base;
  const holders = plan.alternatives.map((a) => one({name: "holds", tiers: [{id: "HOLDS", label: "", when: a.fixed}], fallback: {id: "NOT", label: ""}}));
  for (const h of holders) if (!h.ok) return h;
  const rows = leads.rows;
  const codes = new Int16Array(rows);
  const holds = plan.alternatives.map(() => new Int16Array(rows));
  const map = baseCodes(plan);
  const identity = map.every((v, i) => v === i);
  await inSlices(rows, options.slice ?? LOOP_SLICE, (start, end) => {
    base.indexer(inputs, codes, start, end);
    if (!identity) for (let i = start; i < end; ++i) codes[i] = map[codes[i]];
    holders.forEach((h, a) => (h as Extract<typeof h, {ok: true}>).indexer(inputs, holds[a], start, end));
  }, options.signal);
  const values = plan.thresholds.map((t) => leads.columns.get(t.column)!.values);
  // (The holding rule set's one tier has index 0.)
  return {rows, base: codes, holds, holdsWhen: holds.map(() => 0), values, weights: null, label: leads.label, distributions: null};
}

/** The columns the loop reads for a grid: the rule set's and the freed ones. */
const loopColumns = (plan: GridPlan) => [...new Set([...ruleColumns(plan.rules), ...plan.thresholds.map((t) => t.column)])];

/** Why the loop cannot count a grid over these columns: one not read, or a freed one the SQL path would refuse. */
function unreadable(plan: GridPlan, leads: LeadColumns): {reason: string} | null {
  for (const name of loopColumns(plan)) if (!leads.columns.has(name) || !leads.kinds.has(name)) return {reason: `${name} was not read`};
  for (const t of plan.thresholds) {
    const column = leads.columns.get(t.column)!;
    // The check the SQL path makes on its values; integer arrays cannot hold NaN or infinities.
    if (column.values instanceof Float64Array || column.values instanceof Float32Array || Array.isArray(column.values)) {
      for (let i = 0; i < leads.rows; ++i) {
        if (column.valid !== null && column.valid[i] === 0) continue;
        if (!Number.isFinite(column.values[i])) return {reason: `${t.column} holds ${column.values[i]}`};
      }
    }
  }
  return null;
}

/** The base CASE's tier index → the grid's code, for every index. */
const baseCodes = (plan: GridPlan) => Int16Array.from({length: plan.base.tiers.length + 1}, (_, i) => baseCode(plan, i));


// --- The grid -----------------------------------------------------------------------------------

/** One axis: a freed threshold and its candidate values (ascending). */
export interface Axis {
  threshold: Threshold;
  candidates: Float64Array;
}

/** Whether candidate j's cell index counts down the axis (the condition holds below a value: gte, gt, a range's low end). */
function descending(t: Threshold): boolean {
  if (t.operator === "gt" || t.operator === "gte") return true;
  if (t.operator === "between") return t.bound === "low";
  if (t.operator === "notBetween") return t.bound === "high";
  return false;
}

/** Index of the first candidate ≥ x (strict: > x), DuckDB's order. */
function bound(c: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = compareNumbers(c[mid], x);
    if (s < 0 || (strict && s === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first cell of the axis (in cell order) from which a lead with value x meets the condition,
 * or m (never). Cells run up the candidates, or down for the conditions that hold below a value,
 * so that every condition holds on a suffix of cells.
 */
function rayStart(t: Threshold, otherFreed: boolean, c: Float64Array, x: number): number {
  const m = c.length;
  switch (t.operator) {
    case "lte":
      return bound(c, x, false); // x ≤ c_j ⟺ j ≥ first c ≥ x
    case "lt":
      return bound(c, x, true); // x < c_j ⟺ j ≥ first c > x
    case "gte":
      return m - bound(c, x, true); // c_j ≤ x ⟺ j < #(c ≤ x)
    case "gt":
      return m - bound(c, x, false); // c_j < x ⟺ j < #(c < x)
    case "between":
      if (t.bound === "low") return !otherFreed && compareNumbers(x, t.other!) > 0 ? m : m - bound(c, x, true);
      return !otherFreed && compareNumbers(x, t.other!) < 0 ? m : bound(c, x, false);
    case "notBetween":
      if (t.bound === "low") return compareNumbers(x, t.other!) > 0 ? 0 : bound(c, x, true); // x > high: always; else x < c_j
      return compareNumbers(x, t.other!) < 0 ? 0 : m - bound(c, x, false); // x < low: always; else c_j < x
  }
}

/** Counts per tier for every cell of the grid of candidate values. */
export class Grid {
  /** Cells: the product of the axes' lengths. */
  readonly cells: number;
  /** Tier count + 1 (the fallback last). */
  readonly slots: number;
  /** Cells between two neighbours along each axis. */
  readonly strides: number[];
  /** Per axis: whether cells run down the candidates (see rayStart). */
  readonly reversed: boolean[];
  /** Leads the thresholds cannot move: per tier index, ×3 (leads, labeled, conversions). */
  private readonly fixed: Float64Array;
  /** Leads that reach the tier and fall to tier (tierIndex + 1 + s) unless it takes them, ×3. */
  private readonly reach: Float64Array;
  /** Per cell, per falling slot, ×3: those the tier takes. */
  private readonly taken: Float64Array;
  private readonly width: number;

  constructor(
    readonly plan: GridPlan,
    readonly axes: readonly Axis[],
    fixed: Float64Array,
    reach: Float64Array,
    taken: Float64Array
  ) {
    this.slots = plan.rules.tiers.length + 1;
    this.strides = [];
    let stride = 1;
    for (let d = axes.length - 1; d >= 0; --d) {
      this.strides[d] = stride;
      stride *= axes[d].candidates.length;
    }
    this.cells = stride;
    this.reversed = axes.map((a) => descending(a.threshold));
    this.fixed = fixed;
    this.reach = reach;
    this.taken = taken;
    this.width = (this.slots - plan.tierIndex - 1) * 3;
  }

  /** The cell of candidate indices `j` (one per axis, into each axis's ascending candidates). */
  cellOf(j: readonly number[]): number {
    let cell = 0;
    for (let d = 0; d < this.axes.length; ++d) {
      const m = this.axes[d].candidates.length;
      cell += (this.reversed[d] ? m - 1 - j[d] : j[d]) * this.strides[d];
    }
    return cell;
  }

  /** The candidate indices of a cell. */
  indicesOf(cell: number): number[] {
    return this.axes.map((a, d) => {
      const k = Math.floor(cell / this.strides[d]) % a.candidates.length;
      return this.reversed[d] ? a.candidates.length - 1 - k : k;
    });
  }

  /** The threshold values of a cell. */
  valuesOf(cell: number): number[] {
    return this.indicesOf(cell).map((j, d) => this.axes[d].candidates[j]);
  }

  /** Whether a cell is a rule set tierReport would take: both ends of a range in order. */
  valid(cell: number): boolean {
    const values = this.valuesOf(cell);
    for (let d = 0; d < this.axes.length; ++d) {
      const t = this.axes[d].threshold;
      if (t.bound !== "low") continue;
      const e = this.axes.findIndex((a) => a.threshold.alternative === t.alternative && a.threshold.position === t.position && a.threshold.bound === "high");
      if (e >= 0 && values[d] > values[e]) return false;
    }
    return true;
  }

  /** Counts per tier (tier index × 3: leads, labeled, conversions; the fallback last) at a cell, into `out`. */
  counts(cell: number, out: Float64Array = new Float64Array(this.slots * 3)): Float64Array {
    const k = this.plan.tierIndex;
    out.set(this.fixed);
    const base = cell * this.width;
    for (let s = 0; s < this.width / 3; ++s) {
      for (let q = 0; q < 3; ++q) {
        const taken = this.taken[base + s * 3 + q];
        out[k * 3 + q] += taken;
        out[(k + 1 + s) * 3 + q] = this.reach[s * 3 + q] - taken;
      }
    }
    return out;
  }

  /** The counts of a cell as the rows reportFromCounts reads. */
  countRows(cell: number): {tier: string; leads: number; labeled: number; conversions: number}[] {
    const counts = this.counts(cell);
    const ids = [...this.plan.rules.tiers.map((t) => t.id), this.plan.rules.fallback.id];
    return ids.map((tier, i) => ({tier, leads: counts[i * 3], labeled: counts[i * 3 + 1], conversions: counts[i * 3 + 2]}));
  }
}

/** Nonempty subsets of a bit mask, each with its inclusion–exclusion sign, for masks of up to 3 bits. */
const SUBSETS: {mask: number; sign: number}[][] = Array.from({length: 8}, (_, live) => {
  const out: {mask: number; sign: number}[] = [];
  for (let s = live; s > 0; s = (s - 1) & live) {
    let bits = 0;
    for (let b = s; b; b &= b - 1) bits++;
    out.push({mask: s, sign: bits % 2 ? 1 : -1});
  }
  return out;
});

/** The largest grid counted (cells × falling tiers), to keep memory bounded. */
export const MAX_GRID = 40_000_000;

/**
 * Counts the grid: every lead (or group) once, then a cumulative sum along each axis. `axes` are
 * the plan's thresholds in order, each with its candidates (ascending, admissible).
 */
export async function countGrid(plan: GridPlan, signatures: Signatures, axes: readonly Axis[], options: RunOptions = {}): Promise<Grid> {
  if (axes.length !== plan.thresholds.length) throw new Error("one axis per freed threshold");
  if (plan.alternatives.length > 3) throw new ThresholdError("at most three lists of a tier can have moving thresholds");
  const k = plan.tierIndex;
  const slots = plan.rules.tiers.length + 1;
  const width = (slots - k - 1) * 3;
  let cells = 1;
  for (const a of axes) cells *= a.candidates.length;
  if (cells * width > MAX_GRID) throw new ThresholdError(`${cells.toLocaleString("en-US")} candidate combinations are too many to count at once; give fewer values per threshold`);
  const fixed = new Float64Array(slots * 3);
  const reach = new Float64Array(width);
  const taken = new Float64Array(cells * width);
  const grid = new Grid(plan, axes, fixed, reach, taken);
  if (cells === 0) return grid;
  const strides = grid.strides;
  const m = axes.map((a) => a.candidates.length);
  const otherFreed = axes.map((a) => axes.some((b) => b !== a && b.threshold.alternative === a.threshold.alternative && b.threshold.position === a.threshold.position));
  const alts = plan.alternatives.map((a) => a.dims);
  const offsets = new Float64Array(alts.length);
  const {base, holds, holdsWhen, values, weights, label} = signatures;
  const lv = label?.values;
  const ln = label?.valid ?? null;
  await inSlices(signatures.rows, options.slice ?? LOOP_SLICE, (start, end) => {
    for (let i = start; i < end; ++i) {
      let wLeads: number, wLabeled: number, wConv: number;
      if (weights) {
        wLeads = weights.leads[i];
        wLabeled = weights.labeled[i];
        wConv = weights.conversions[i];
      } else {
        wLeads = 1;
        const labeled = ln === null || ln[i] === 1;
        wLabeled = labeled ? 1 : 0;
        wConv = labeled ? lv![i] : 0;
      }
      const code = base[i];
      if (code <= k) {
        fixed[code * 3] += wLeads;
        fixed[code * 3 + 1] += wLabeled;
        fixed[code * 3 + 2] += wConv;
        continue;
      }
      const slot = (code - k - 1) * 3;
      reach[slot] += wLeads;
      reach[slot + 1] += wLabeled;
      reach[slot + 2] += wConv;
      let live = 0;
      for (let a = 0; a < alts.length; ++a) {
        if (holds[a][i] !== holdsWhen[a]) continue;
        let offset = 0;
        let dead = false;
        for (const d of alts[a]) {
          const s = rayStart(axes[d].threshold, otherFreed[d], axes[d].candidates, values[d][i]);
          if (s >= m[d]) {
            dead = true;
            break;
          }
          offset += s * strides[d];
        }
        if (dead) continue;
        live |= 1 << a;
        offsets[a] = offset;
      }
      if (live === 0) continue;
      for (const {mask, sign} of SUBSETS[live]) {
        let corner = 0;
        for (let a = 0; a < alts.length; ++a) if (mask & (1 << a)) corner += offsets[a];
        const at = corner * width + slot;
        taken[at] += sign * wLeads;
        taken[at + 1] += sign * wLabeled;
        taken[at + 2] += sign * wConv;
      }
    }
  }, options.signal);
  cumulate(grid, taken, width, options.signal);
  return grid;
}

/** Cumulates along each axis: a corner counts in every cell at or beyond it. */
function cumulate(grid: Grid, taken: Float64Array, width: number, signal?: AbortSignal): void {
  for (let d = 0; d < grid.axes.length; ++d) {
    const stride = grid.strides[d];
    const size = grid.axes[d].candidates.length;
    signal?.throwIfAborted();
    for (let cell = 0; cell < grid.cells; ++cell) {
      if (Math.floor(cell / stride) % size === 0) continue;
      const to = cell * width;
      const from = (cell - stride) * width;
      for (let q = 0; q < width; ++q) taken[to + q] += taken[from + q];
    }
  }
}

const RAY_TABLE = 1 << 20;

/**
 * {@link rayStart} for each observed whole number `values` (ascending), as a table from
 * `value − values[0]`: one merge of the values with the candidates `c`, the same arithmetic for
 * every operator (a first cell is a + b·#(c < x) + d·#(c ≤ x), or `beyond` when x is past a
 * range's other end), so the loop stays optimised whichever threshold is swept.
 */
function rayTableOf(t: Threshold, c: Float64Array, values: Float64Array): Int32Array {
  const m = c.length;
  const [a, b, d] = ({lte: [0, 1, 0], lt: [0, 0, 1], gte: [m, 0, -1], gt: [m, -1, 0], between: t.bound === "low" ? [m, 0, -1] : [0, 1, 0], notBetween: t.bound === "low" ? [0, 0, 1] : [m, -1, 0]} as const)[t.operator];
  // Past the other end of a range: x > high for its low end, x < low for its high end.
  const above = t.bound === "low" ? t.other! : Infinity;
  const below = t.bound === "high" ? t.other! : -Infinity;
  const beyond = t.operator === "between" ? m : 0;
  const lo = values.length ? values[0] : 0;
  const table = new Int32Array(values.length ? values[values.length - 1] - lo + 1 : 0);
  let lt = 0; // #(c < x)
  let le = 0; // #(c ≤ x)
  for (let i = 0; i < values.length; ++i) {
    const x = values[i];
    while (lt < m && c[lt] < x) lt++;
    while (le < m && c[le] <= x) le++;
    const inside = a + b * lt + d * le;
    table[(x - lo) | 0] = x > above || x < below ? beyond : inside;
  }
  return table;
}

/**
 * The rule set with the swept condition given operands every present value of its column meets
 * (the observed values lie in [min, max]): the sweep's loop then reads its list as "the other
 * conditions hold", with the same code for every threshold of the tier.
 */
function metByAll(rules: RuleSet, t: Threshold, min: number, max: number): RuleSet {
  const copy = structuredClone(rules);
  const condition = tierAlternatives(copy.tiers[t.tierIndex])[t.alternative][t.position] as unknown as Record<string, unknown>;
  const below = min - 1;
  const above = max + 1;
  const operands: Record<ThresholdOperator, unknown> = {lt: above, lte: above, gt: below, gte: below, between: [below, above], notBetween: [above, above]};
  condition[t.operator] = operands[t.operator];
  return copy;
}

/**
 * A one-threshold grid (a sweep) by ONE compiled pass over typed columns: what
 * {@link signaturesFromColumns} then {@link countGrid} give, without writing each lead's
 * classification down and reading it back (test/unit/sweep.test.ts holds the two to SQL).
 */
async function countSweepColumns(plan: GridPlan, leads: LeadColumns, axis: Axis, observed: Distribution, options: RunOptions): Promise<Grid | {reason: string}> {
  const t = axis.threshold;
  const names = loopColumns(plan);
  const nullable = new Set(names.filter((n) => leads.columns.get(n)!.valid !== null));
  const c = axis.candidates;
  const m = c.length;
  const {values} = observed;
  const min = values.length ? values[0] : 0;
  const max = values.length ? values[values.length - 1] : 0;
  const span = values.length ? max - min + 1 : 0;
  const rayTable = values.every(Number.isInteger) && span <= (options.rayTable ?? RAY_TABLE);
  const ray = rayTable ? rayTableOf(t, c, values) : (x: number) => rayStart(t, false, c, x);
  const k = plan.tierIndex;
  const compiled = compileSweepKernel(metByAll(plan.rules, t, min, max), k, names, leads.kinds, nullable, {labelNullable: leads.label.valid !== null, rayTable});
  if (!compiled.ok) return {reason: compiled.reason};
  const slots = plan.rules.tiers.length + 1;
  const width = (slots - k - 1) * 3;
  const fixed = new Float64Array(slots * 3);
  const reach = new Float64Array(width);
  const taken = new Float64Array(m * width);
  const grid = new Grid(plan, [axis], fixed, reach, taken);
  const lists = tierAlternatives(plan.rules.tiers[k]).length;
  const swept = 1 << t.alternative;
  const inputs = {columns: names.map((n) => leads.columns.get(n)!), label: leads.label, enabled: ((1 << lists) - 1) & ~swept, swept, width, column: names.indexOf(t.column), ray, lo: min, cells: m};
  await inSlices(leads.rows, options.slice ?? LOOP_SLICE, (start, end) => compiled.kernel(inputs, fixed, reach, taken, start, end), options.signal);
  cumulate(grid, taken, width, options.signal);
  return grid;
}

// --- The sweep ----------------------------------------------------------------------------------

/** One candidate value: what the tier gets with the threshold there, as `tierlab report` gives it. */
export interface SweepPoint {
  value: number;
  leads: number;
  labeled: number;
  conversions: number;
  rate: number | null;
  ci: [number | null, number | null];
  /** rate / the population's rate (which no threshold changes). */
  lift: number | null;
  /** rate / the fallback's rate at this value (released leads may land in the fallback). */
  liftVsFallback: number | null;
}

/** The swept threshold as {@link Threshold} locates it (a range's other end stays where it is). */
export interface Sweep extends Pick<Threshold, "condition" | "column" | "operator" | "bound" | "current" | "other"> {
  tier: string;
  points: SweepPoint[];
  /** The population's leads, labeled leads, conversions (the lift's base). */
  population: {leads: number; labeled: number; conversions: number; rate: number | null};
  countedBy: "loop" | "sql";
  /** Why the SQL path was taken (when it was). */
  reason?: string;
}

/** The `tierlab sweep --format json` document: exactly these fields. */
export function sweepJson(s: Sweep) {
  return {
    tier: s.tier,
    condition: s.condition,
    column: s.column,
    operator: s.operator,
    bound: s.bound,
    current: s.current,
    points: s.points.map((p) => ({value: p.value, leads: p.leads, labeled: p.labeled, conversions: p.conversions, rate: p.rate, ci: p.ci, lift: p.lift}))
  };
}

/** Candidate values of a sweep when none are given. */
export const SWEEP_CANDIDATES = 100;

export interface SweepRequest {
  tier: string;
  /** `N` or `A.N`. */
  condition: string;
  bound?: Bound | null;
  /** Candidate values; default: every observed value (or {@link SWEEP_CANDIDATES} quantiles) and the current one. */
  values?: readonly number[];
}

export interface SweepOptions extends RunOptions {
  population?: Population;
  table?: string;
  /** The table's schema: checks the rule set and the threshold's column. */
  columns?: readonly ColumnInfo[];
}

/** The threshold of a request, and the given values checked against it. */
function sweepThreshold(rules: RuleSet, request: SweepRequest, columns?: readonly ColumnInfo[]): Threshold {
  const t = locateThreshold(rules, request.tier, request.condition, request.bound ?? null, columns);
  for (const v of request.values ?? []) {
    if (!Number.isFinite(v)) throw new ThresholdError(`a threshold must be a number, got ${v}`);
    if (!admits(t, v)) throw new ThresholdError(`${v} cannot be the ${t.bound} end of ${t.column} ${t.operator} [${t.bound === "low" ? `…, ${t.other}` : `${t.other}, …`}]: the range needs low ≤ high`);
  }
  return t;
}

/** The points of a one-axis grid. */
function sweepFromGrid(grid: Grid, t: Threshold, countedBy: "loop" | "sql", reason?: string): Sweep {
  const k = t.tierIndex;
  const fb = grid.slots - 1;
  const totals = {leads: 0, labeled: 0, conversions: 0};
  const rate = (conv: number, n: number) => (n ? conv / n : null);
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  let population: Sweep["population"] | null = null;
  const points: SweepPoint[] = [];
  const candidates = grid.axes[0].candidates;
  for (let j = 0; j < candidates.length; ++j) {
    const c = grid.counts(grid.cellOf([j]));
    if (!population) {
      for (let s = 0; s < grid.slots; ++s) {
        totals.leads += c[s * 3];
        totals.labeled += c[s * 3 + 1];
        totals.conversions += c[s * 3 + 2];
      }
      population = {...totals, rate: rate(totals.conversions, totals.labeled)};
    }
    const [leads, labeled, conversions] = [c[k * 3], c[k * 3 + 1], c[k * 3 + 2]];
    const r = rate(conversions, labeled);
    points.push({value: candidates[j], leads, labeled, conversions, rate: r, ci: wilson(conversions, labeled) ?? [null, null], lift: ratio(r, population.rate), liftVsFallback: ratio(r, rate(c[fb * 3 + 2], c[fb * 3 + 1]))});
  }
  return {tier: t.tier, condition: t.condition, column: t.column, operator: t.operator, bound: t.bound, current: t.current, other: t.other, points, population: population ?? {leads: 0, labeled: 0, conversions: 0, rate: null}, countedBy, ...(reason ? {reason} : {})};
}

/** The part of a distribution a threshold can take (a range's end stays on its side of the other end). */
export function admissible(distribution: Distribution, keep: (value: number) => boolean): Distribution {
  // (Plain loops: a column can have tens of thousands of distinct values, and every sweep asks.)
  const {values, counts} = distribution;
  const out = {values: new Float64Array(values.length), counts: new Float64Array(values.length)};
  let n = 0;
  for (let i = 0; i < values.length; ++i) {
    if (!keep(values[i])) continue;
    out.values[n] = values[i];
    out.counts[n++] = counts[i];
  }
  return {values: out.values.subarray(0, n), counts: out.counts.subarray(0, n)};
}

/** Candidates of a sweep: the given values, or the distribution's (and the current value). */
function sweepAxis(t: Threshold, given: readonly number[] | undefined, distribution: () => Distribution): Axis {
  // (A single threshold admits every observed value: they are finite numbers.)
  const pool = () => (t.bound === null ? distribution() : admissible(distribution(), (v) => admits(t, v)));
  const values = given ?? [...candidateValues(pool(), SWEEP_CANDIDATES), t.current];
  return {threshold: t, candidates: sortedCandidates(t, values)};
}

/**
 * The sweep by SQL: ONE aggregate query (grouped by the lead's classification and the column's
 * value), then cumulated over the candidates. Any engine.
 */
export async function sweepSql(conn: Connector, rules: RuleSet, request: SweepRequest, options: SweepOptions = {}): Promise<Sweep> {
  const checked = parseRuleSet(rules, options.columns);
  const t = sweepThreshold(checked, request, options.columns);
  const plan = planGrid(checked, [t]);
  const sql = signaturesSql(plan, options.population, {dialect: conn.dialect, table: options.table, distributions: request.values === undefined});
  const signatures = signaturesFromRows(plan, await conn.query(sql), {distributions: request.values === undefined});
  const axis = sweepAxis(t, request.values, () => signatures.distributions![0]);
  return sweepFromGrid(await countGrid(plan, signatures, [axis], options), t, "sql");
}

/**
 * The sweep by the tier page's loop over typed columns (`rules` valid for them): what
 * {@link sweepSql} gives, without a query; a reason instead when the loop cannot count the rules.
 */
export async function sweepColumns(leads: LeadColumns, rules: RuleSet, request: SweepRequest, options: RunOptions & {columns?: readonly ColumnInfo[]} = {}): Promise<Sweep | {reason: string}> {
  const t = sweepThreshold(rules, request, options.columns);
  const plan = planGrid(rules, [t]);
  const unread = unreadable(plan, leads);
  if (unread) return unread;
  const observed = leadsDistribution(leads, t.column);
  const axis = sweepAxis(t, request.values, () => observed);
  const grid = await countSweepColumns(plan, leads, axis, observed, options);
  return "reason" in grid ? grid : sweepFromGrid(grid, t, "loop");
}

/** Each read population's column distributions: they do not depend on the rules, so every sweep of a column shares one. */
const DISTRIBUTIONS = new WeakMap<LeadColumns, Map<string, Distribution>>();

/** The distribution of a column of the population's leads (computed once per population and column). */
export function leadsDistribution(leads: LeadColumns, column: string): Distribution {
  let byColumn = DISTRIBUTIONS.get(leads);
  if (!byColumn) DISTRIBUTIONS.set(leads, (byColumn = new Map()));
  let d = byColumn.get(column);
  if (!d) byColumn.set(column, (d = columnDistribution(leads.columns.get(column)!, leads.rows)));
  return d;
}

/**
 * A sweep on a connector: by the loop over the population's typed columns where the engine can
 * hand them over and the loop can count the rules (DuckDB), else by SQL (and says why).
 */
export async function sweep(conn: Connector, rules: RuleSet, request: SweepRequest, options: SweepOptions & {schema: readonly ColumnInfo[]; preferLoop?: boolean}): Promise<Sweep> {
  const checked = parseRuleSet(rules, options.schema);
  if (!options.preferLoop || conn.dialect !== "duckdb") return sweepSql(conn, checked, request, {...options, columns: options.schema});
  sweepThreshold(checked, request, options.schema);
  const names = [...new Set(ruleColumns(checked))];
  const leads = await readLeadColumns(conn, options.schema, options.population ?? {}, names, options.table);
  const viaLoop = "reason" in leads ? leads : await sweepColumns(leads, checked, request, {...options, columns: options.schema});
  if ("reason" in viaLoop) return {...(await sweepSql(conn, checked, request, {...options, columns: options.schema})), reason: viaLoop.reason};
  return viaLoop;
}
