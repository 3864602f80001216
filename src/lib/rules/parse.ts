/**
 * Loading rule sets: from parsed JSON ({@link parseRuleSet}) or from the text an analyst typed
 * ({@link parseRuleSetText}, which locates JSON syntax errors by line and column).
 */
import type {ColumnInfo} from "../column-info.js";
import {crossTierProblems, ruleSetSchema} from "./rule-set-schema.js";
import {RuleSetError, type RuleSet} from "./types.js";

export type ParseResult = {ok: true; ruleSet: RuleSet} | {ok: false; issues: string[]};

/** Validates a rule set without throwing: the rule set, or every problem found. */
export function safeParseRuleSet(json: unknown, columns?: readonly ColumnInfo[]): ParseResult {
  const result = ruleSetSchema(columns).safeParse(json);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => describeIssue(issue.path, issue.message, json));
  for (const problem of crossTierProblems(json)) issues.push(problem);
  if (issues.length > 0) return {ok: false, issues: [...new Set(issues)]};
  return {ok: true, ruleSet: result.data as RuleSet};
}

/**
 * Validates a rule set (parsed JSON) and returns it typed. With `columns` (the table's schema),
 * every condition's column must exist and its comparison fit the column's kind.
 * @throws {RuleSetError} listing every problem
 */
export function parseRuleSet(json: unknown, columns?: readonly ColumnInfo[]): RuleSet {
  const result = safeParseRuleSet(json, columns);
  if (!result.ok) throw new RuleSetError(result.issues);
  return result.ruleSet;
}

/**
 * Parses and validates rule-set JSON text.
 * @throws {RuleSetError} for invalid JSON (with line and column) or an invalid rule set
 */
export function parseRuleSetText(text: string, columns?: readonly ColumnInfo[]): RuleSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const {line, column, message} = locateJsonError(text);
    throw new RuleSetError([`invalid JSON at line ${line}, column ${column}: ${message}`], {cause: error});
  }
  return parseRuleSet(json, columns);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function conditionName(condition: unknown): string {
  const column = record(condition)?.column;
  return typeof column === "string" && column ? ` (${column})` : "";
}

/** Turns a zod issue path into `tier "ID" condition 3 (column)` and joins it with the message. */
function describeIssue(path: readonly PropertyKey[], message: string, json: unknown): string {
  const root = record(json);
  if (path[0] === "tiers" && typeof path[1] === "number") {
    const tier = record((root?.tiers as unknown[])[path[1]]);
    const id = typeof tier?.id === "string" && tier.id ? `tier "${tier.id}"` : `tier ${path[1] + 1}`;
    if (path[2] === "when" && typeof path[3] === "number") {
      const condition = (tier?.when as unknown[])[path[3]];
      return `${id} condition ${path[3] + 1}${conditionName(condition)}: ${message}`;
    }
    if (path[2] === "anyOf" && typeof path[3] === "number" && typeof path[4] === "number") {
      const condition = ((tier?.anyOf as unknown[][])[path[3]] ?? [])[path[4]];
      return `${id} anyOf ${path[3] + 1} condition ${path[4] + 1}${conditionName(condition)}: ${message}`;
    }
    return `${id}: ${message}`;
  }
  if (path[0] === "fallback") {
    const id = record(root?.fallback)?.id;
    return `${typeof id === "string" && id ? `fallback "${id}"` : "fallback"}: ${message}`;
  }
  return path.length === 0 ? `rule set: ${message}` : message;
}

/**
 * Finds where JSON text stops being valid, by a small strict JSON scanner (engines word their
 * JSON.parse errors differently and not all give a position). Lines and columns count from 1.
 */
export function locateJsonError(text: string): {line: number; column: number; message: string} {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw Object.assign(new Error(message), {at});
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) ++i;
  };
  const found = () => (i >= text.length ? "end of input" : `"${text[i]}"`);
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      ++i;
      space();
      if (text[i] === "}") return void ++i;
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ":") fail(`expected ":" after the property name, found ${found()}`);
        ++i;
        value();
        space();
        if (text[i] === ",") {
          ++i;
          continue;
        }
        if (text[i] === "}") return void ++i;
        fail(`expected "," or "}" in an object, found ${found()}`);
      }
    }
    if (c === "[") {
      ++i;
      space();
      if (text[i] === "]") return void ++i;
      for (;;) {
        value();
        space();
        if (text[i] === ",") {
          ++i;
          continue;
        }
        if (text[i] === "]") return void ++i;
        fail(`expected "," or "]" in a list, found ${found()}`);
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) return void (i += literal[0].length);
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && number[0] !== "-") return void (i += number[0].length);
    fail(`expected a value, found ${found()}`);
  };
  const string = () => {
    ++i;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail("a line break or control character inside a string");
      if (text[i] === "\\") {
        const escape = text[i + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape in a string");
          i += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape))
          fail(`invalid escape "\\${escape ?? ""}" in a string`);
        i += 2;
        continue;
      }
      ++i;
    }
    if (i >= text.length) fail("unterminated string");
    ++i;
  };
  let at = text.length;
  let message = "invalid JSON";
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the end of the value`);
  } catch (error) {
    at = (error as {at: number}).at;
    message = (error as Error).message;
  }
  const before = text.slice(0, at).split(/\r\n|\r|\n/);
  return {line: before.length, column: before[before.length - 1].length + 1, message};
}
