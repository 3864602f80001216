/**
 * The zod schema of a rule set, with messages written for the analyst who typed the JSON: every
 * problem names the tier and the condition (`tier "TIER_2" condition 3 (firm_net_change_12mo): …`).
 * Structure is checked by zod; conditions and cross-tier rules by the checks below, so one pass
 * reports every problem at once.
 */
import {z} from "zod";
import type {ColumnInfo} from "../column-info.js";
import {isIsoDate} from "../dates.js";
import {OPERATORS, ORDER_OPERATORS, type Condition, type Operator, type RuleSet} from "./types.js";

/** A value as it would be written in the JSON (lists spaced: `[-1, -10]`), for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = Array.isArray(value) ? `[${value.map(show).join(", ")}]` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? text.slice(0, 57) + "…" : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalarKind(value: unknown): "number" | "string" | "boolean" | null {
  if (typeof value === "number") return Number.isFinite(value) ? "number" : null;
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  return null;
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
  for (const op of operators) problems.push(...operandProblems(op, raw[op]));
  for (const op of operators) {
    const values = Array.isArray(raw[op]) ? (raw[op] as unknown[]) : [raw[op]];
    if (values.some((v) => typeof v === "string" && v.includes("\u0000"))) problems.push(`the ${op} value contains a NUL character, which SQL text cannot hold`);
  }
  if (typeof column !== "string" || !column || columns === undefined) return problems;

  const info = columns.find((c) => c.name === column);
  const names = columns.map((c) => c.name);
  if (!info) return [`unknown column "${column}"${suggest(column, names)}`, ...problems];
  if (problems.length > 0) return problems;
  const op = operators[0];
  const operand = raw[op];
  if (op === "isNull" || info.kind === "other") return [];
  if (ORDER_OPERATORS.includes(op)) {
    return info.kind === "number"
      ? []
      : [`${op} compares numbers, but "${column}" is a ${info.kind} column (${info.type})`];
  }
  const values = Array.isArray(operand) ? operand : [operand];
  const expected = info.kind === "date" ? "string" : info.kind;
  for (const value of values) {
    const kind = scalarKind(value);
    if (kind !== expected) {
      return [`a ${info.kind} column (${info.type}) compared with ${article(kind ?? "string")} (${show(value)})`];
    }
    if (info.kind === "date" && !isIsoDate(value)) {
      return [`a date column compared with ${show(value)}; write dates as "YYYY-MM-DD"`];
    }
  }
  return [];
}

function operandProblems(op: Operator, value: unknown): string[] {
  switch (op) {
    case "eq":
    case "ne":
      if (value === null) return [`${op} null never matches in SQL; use {"isNull": ${op === "eq"}}`];
      return scalarKind(value) ? [] : [`${op} needs a number, string or boolean, got ${show(value)}`];
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return scalarKind(value) === "number" ? [] : [`${op} needs a number, got ${show(value)}`];
    case "between": {
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => scalarKind(v) === "number")) {
        return [`between needs [min, max] (two numbers), got ${show(value)}`];
      }
      return value[0] <= value[1] ? [] : [`between needs min ≤ max, got ${show(value)}`];
    }
    case "in":
    case "notIn": {
      if (!Array.isArray(value)) return [`${op} needs a list of values, got ${show(value)}`];
      if (value.length === 0) return [`${op} needs a non-empty list`];
      const kinds = new Set<string>();
      for (let i = 0; i < value.length; ++i) {
        const kind = scalarKind(value[i]);
        if (!kind) return [`${op} needs numbers, strings or booleans, got ${show(value[i])} at position ${i + 1}`];
        kinds.add(kind);
      }
      return kinds.size > 1 ? [`${op} mixes ${[...kinds].join(" and ")} values; use one kind`] : [];
    }
    case "isNull":
      return typeof value === "boolean" ? [] : [`isNull needs true or false, got ${show(value)}`];
  }
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
      description: text("description"),
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
