/**
 * The zod schema of a rule set, with messages written for the analyst who typed the JSON: every
 * problem names the tier and the condition (`tier "TIER_2" condition 3 (firm_net_change_12mo): …`).
 * Structure is checked by zod; conditions and cross-tier rules by the checks below, so one pass
 * reports every problem at once.
 */
import {z} from "zod";
import type {ColumnInfo} from "../column-info.js";
import {isIsoDate} from "../dates.js";
import {normalizeCondition} from "./conditions.js";
import {OPERATOR_TABLE, OPERATORS, operatorOf, scalarKind, show, type Operator} from "./operators.js";
import type {Condition, RuleSet} from "./types.js";

export {show};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const article = (kind: string) => (kind === "number" ? "a number" : kind === "string" ? "a string" : "a boolean");

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; ++i) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; ++j) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggest(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4))
    ? ` (did you mean "${best}"?)`
    : "";
}

/**
 * Everything wrong with one condition, as sentences without the tier/condition prefix (the caller
 * adds it). `columns`, when given, is the table's schema: unknown columns and comparisons that do
 * not fit the column's kind are reported.
 */
export function conditionProblems(raw: unknown, columns?: readonly ColumnInfo[]): string[] {
  if (!isPlainObject(raw)) return [`must be an object like {"column": "x", "lt": 10}, got ${show(raw)}`];
  const problems: string[] = [];
  const column = raw.column;
  if (typeof column !== "string" || column.length === 0) {
    problems.push(column === undefined ? `needs a "column"` : `"column" must be a column name, got ${show(column)}`);
  } else if (column.includes("\u0000")) {
    problems.push(`"column" contains a NUL character, which no column name can hold`);
  }
  const keys = Object.keys(raw).filter((key) => key !== "column");
  const operators = keys.filter((key): key is Operator => (OPERATORS as readonly string[]).includes(key));
  for (const key of keys) {
    if (!operators.includes(key as Operator)) {
      problems.push(`unknown operator "${key}"${suggest(key, OPERATORS)} (operators: ${OPERATORS.join(" ")})`);
    }
  }
  if (operators.length === 0 && keys.length === 0) problems.push(`has no operator (one of ${OPERATORS.join(" ")})`);
  if (operators.length > 1) {
    problems.push(`has ${operators.length} operators (${operators.join(", ")}); a condition takes exactly one`);
  }
  for (const op of operators) problems.push(...OPERATOR_TABLE[op].check(raw[op], op));
  for (const op of operators) {
    const values = Array.isArray(raw[op]) ? (raw[op] as unknown[]) : [raw[op]];
    if (values.some((v) => typeof v === "string" && v.includes("\u0000"))) problems.push(`the ${op} value contains a NUL character, which SQL text cannot hold`);
  }
  if (typeof column !== "string" || !column || columns === undefined) return problems;

  const info = columns.find((c) => c.name === column);
  const names = columns.map((c) => c.name);
  if (!info) return [`unknown column "${column}"${suggest(column, names)}`, ...problems];
  if (problems.length > 0) return problems;
  if (info.kind === "other") return [];
  const c = normalizeCondition(raw as unknown as Condition);
  const {columns: applies, values} = operatorOf(c);
  if (applies !== "any" && !applies.kinds.includes(info.kind)) {
    return [`${c.op} ${applies.needs}, but "${column}" is a ${info.kind} column (${info.type})`];
  }
  const expected = info.kind === "date" ? "string" : info.kind;
  for (const value of values(c.value)) {
    const kind = scalarKind(value);
    if (kind !== expected) {
      return [`a ${info.kind} column (${info.type}) compared with ${article(kind ?? "string")} (${show(value)})`];
    }
    if (info.kind === "date" && !isIsoDate(value)) {
      return [`a date column compared with ${show(value)}, which is not a date (write dates as "YYYY-MM-DD")`];
    }
  }
  return [];
}

const field = (name: string, what: string) => ({
  error: (issue: {input?: unknown}) =>
    issue.input === undefined ? `"${name}" is required` : `"${name}" must be ${what}, got ${show(issue.input)}`
});

const text = (name: string) => z.string(field(name, "text"));
const id = (name: string) => z.string(field(name, "text")).min(1, `"${name}" must not be empty`);
const rate = (name: string) =>
  z
    .number(field(name, "a number"))
    .min(0, `"${name}" must be between 0 and 1`)
    .max(1, `"${name}" must be between 0 and 1`);
const positive = (name: string) => z.number(field(name, "a number")).min(0, `"${name}" must not be negative`);

const objectError = (what: string) => ({
  error: (issue: {code?: string; keys?: string[]; input?: unknown}) =>
    issue.code === "unrecognized_keys"
      ? `unknown field${issue.keys!.length > 1 ? "s" : ""} ${issue.keys!.map((k) => `"${k}"`).join(", ")}`
      : `${what} must be an object, got ${show(issue.input)}`
});

function conditionSchema(columns?: readonly ColumnInfo[]) {
  return z
    .custom<Condition>(() => true)
    .superRefine((value, ctx) => {
      for (const message of conditionProblems(value, columns)) ctx.addIssue({code: "custom", message});
    });
}

/** The zod schema of a rule set; with `columns`, conditions are checked against the table's schema. */
export function ruleSetSchema(columns?: readonly ColumnInfo[]) {
  const condition = conditionSchema(columns);
  const conditions = z.array(condition, field("when", "a list of conditions"));
  const lists = field("anyOf", "a list of condition lists");
  const tier = z.strictObject(
    {
      id: id("id"),
      label: text("label"),
      group: id("group").optional(),
      when: conditions.optional(),
      anyOf: z.array(z.array(condition, lists), lists).optional(),
      expectedConversion: rate("expectedConversion").optional(),
      expectedLift: positive("expectedLift").optional(),
      action: text("action").optional(),
      explanation: text("explanation").optional()
    },
    objectError("a tier")
  );
  const fallback = z.strictObject(
    {
      id: id("id"),
      label: text("label"),
      expectedConversion: rate("expectedConversion").optional(),
      expectedLift: positive("expectedLift").optional(),
      action: text("action").optional(),
      explanation: text("explanation").optional()
    },
    objectError("the fallback")
  );
  return z.strictObject(
    {
      name: id("name"),
      description: text("description").optional(),
      version: text("version").optional(),
      tiers: z.array(tier, field("tiers", "a list of tiers")),
      fallback
    },
    objectError("a rule set")
  ) satisfies z.ZodType<RuleSet>;
}

/** What is wrong with the shape of a tier's criteria: both or neither of when/anyOf, empty lists. */
export function criteriaProblems(tier: Record<string, unknown>): string[] {
  const {when, anyOf} = tier;
  if (when !== undefined && anyOf !== undefined) return [`give either "when" or "anyOf", not both`];
  if (when === undefined && anyOf === undefined)
    return [`needs "when" (conditions ANDed) or "anyOf" (a list of AND-lists)`];
  if (Array.isArray(when) && when.length === 0) return [`"when" is empty; a tier needs at least one condition`];
  if (Array.isArray(anyOf) && anyOf.length === 0) return [`"anyOf" is empty; give at least one list of conditions`];
  if (Array.isArray(anyOf)) {
    return anyOf.flatMap((list, k) => (Array.isArray(list) && list.length === 0 ? [`anyOf ${k + 1} is empty`] : []));
  }
  return [];
}

/**
 * Rules beyond a field's own type, checked on the raw input so they are reported even when another
 * part is malformed: each tier's criteria shape, no tiers, duplicate ids, the fallback id reused, a
 * group named after another tier.
 */
export function crossTierProblems(raw: unknown): string[] {
  if (!isPlainObject(raw) || !Array.isArray(raw.tiers)) return [];
  const problems: string[] = [];
  if (raw.tiers.length === 0) problems.push(`the rule set has no tiers; give at least one tier besides the fallback`);
  raw.tiers.forEach((tier, i) => {
    if (!isPlainObject(tier)) return;
    const name = typeof tier.id === "string" && tier.id ? `tier "${tier.id}"` : `tier ${i + 1}`;
    for (const problem of criteriaProblems(tier)) problems.push(`${name}: ${problem}`);
  });
  const positions = new Map<string, number[]>();
  const groups = new Map<string, number[]>();
  raw.tiers.forEach((tier, i) => {
    if (!isPlainObject(tier)) return;
    if (typeof tier.id === "string" && tier.id) positions.set(tier.id, [...(positions.get(tier.id) ?? []), i + 1]);
    if (typeof tier.group === "string" && tier.group)
      groups.set(tier.group, [...(groups.get(tier.group) ?? []), i + 1]);
  });
  for (const [tierId, at] of positions) {
    if (at.length > 1) problems.push(`tier id "${tierId}" is used by tiers ${at.join(" and ")}; ids must be unique`);
  }
  const fallbackId = isPlainObject(raw.fallback) && typeof raw.fallback.id === "string" ? raw.fallback.id : undefined;
  if (fallbackId !== undefined && positions.has(fallbackId)) {
    problems.push(`fallback id "${fallbackId}" is also the id of tier ${positions.get(fallbackId)![0]}`);
  }
  for (const [group, members] of groups) {
    if (group === fallbackId) problems.push(`group "${group}" has the fallback's id`);
    const owner = positions.get(group);
    if (owner && !owner.every((position) => members.includes(position))) {
      problems.push(`group "${group}" is also the id of tier ${owner[0]}, which is not in that group`);
    }
  }
  return problems;
}
