import {describe, expect, it} from "vitest";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {
  locateJsonError,
  parseRuleSet,
  parseRuleSetText,
  RuleSetError,
  safeParseRuleSet
} from "../../src/lib/rules/index.js";

const columns: ColumnInfo[] = [
  {name: "current_firm_tenure_months", kind: "number", type: "INTEGER"},
  {name: "industry_tenure_months", kind: "number", type: "INTEGER"},
  {name: "firm_net_change_12mo", kind: "number", type: "INTEGER"},
  {name: "is_wirehouse", kind: "number", type: "TINYINT"},
  {name: "split", kind: "string", type: "VARCHAR"},
  {name: "is_active", kind: "boolean", type: "BOOLEAN"},
  {name: "contacted_date", kind: "date", type: "DATE"}
];

/** A valid rule set whose TIER_2 third condition (and anything else) a test can replace. */
function ruleSet(condition: unknown = {column: "firm_net_change_12mo", between: [-10, -1]}): Record<string, unknown> {
  return {
    name: "test",
    description: "",
    tiers: [
      {id: "TIER_1", label: "One", when: [{column: "current_firm_tenure_months", between: [12, 48]}]},
      {
        id: "TIER_2",
        label: "Two",
        when: [{column: "industry_tenure_months", gte: 60}, {column: "is_wirehouse", eq: 0}, condition]
      }
    ],
    fallback: {id: "STANDARD", label: "Standard"}
  };
}

function issues(json: unknown, cols?: ColumnInfo[]): string[] {
  const result = safeParseRuleSet(json, cols);
  if (result.ok) throw new Error("expected the rule set to be invalid");
  return result.issues;
}

describe("parseRuleSet", () => {
  it("accepts a valid rule set and returns it unchanged", () => {
    const json = ruleSet();
    expect(parseRuleSet(json, columns)).toEqual(json);
  });

  it("accepts a rule set without a description", () => {
    const json = ruleSet();
    delete json.description;
    expect(parseRuleSet(json, columns)).toEqual(json);
    expect("description" in parseRuleSet(json, columns)).toBe(false);
  });

  it("throws a RuleSetError carrying every issue", () => {
    const json = ruleSet({column: "firm_net_change_12mo", between: [-1, -10]});
    expect(() => parseRuleSet(json)).toThrow(RuleSetError);
    try {
      parseRuleSet(json);
    } catch (error) {
      expect((error as RuleSetError).issues).toEqual([
        `tier "TIER_2" condition 3 (firm_net_change_12mo): between needs min ≤ max, got [-1, -10]`
      ]);
      expect((error as Error).message).toContain("between needs min ≤ max");
    }
  });

  it("reports an unknown operator, with a hint", () => {
    expect(issues(ruleSet({column: "is_wirehouse", notin: [1]}))).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): unknown operator "notin" (did you mean "notIn"?) ` +
        `(operators: eq ne lt lte gt gte between notBetween in notIn startsWith isNull)`
    ]);
    expect(issues(ruleSet({column: "is_wirehouse", "=": 1}))[0]).toMatch(
      /^tier "TIER_2" condition 3 \(is_wirehouse\): unknown operator "="/
    );
  });

  it("reports two operators in one condition", () => {
    expect(issues(ruleSet({column: "firm_net_change_12mo", gt: -10, lt: -1}))).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): has 2 operators (gt, lt); a condition takes exactly one`
    ]);
  });

  it("reports a condition without operator or column", () => {
    expect(issues(ruleSet({column: "is_wirehouse"}))).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): has no operator (one of eq ne lt lte gt gte between notBetween in notIn startsWith isNull)`
    ]);
    expect(issues(ruleSet({eq: 1}))).toEqual([`tier "TIER_2" condition 3: needs a "column"`]);
    expect(issues(ruleSet("x > 1"))).toEqual([
      `tier "TIER_2" condition 3: must be an object like {"column": "x", "lt": 10}, got "x > 1"`
    ]);
  });

  it("reports an unknown column when the table's columns are given", () => {
    const json = ruleSet({column: "firm_net_change_12m", lt: 0});
    expect(safeParseRuleSet(json).ok).toBe(true);
    expect(issues(json, columns)).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12m): unknown column "firm_net_change_12m" (did you mean "firm_net_change_12mo"?)`
    ]);
    expect(issues(ruleSet({column: "zzz", lt: 0}), columns)).toEqual([
      `tier "TIER_2" condition 3 (zzz): unknown column "zzz"`
    ]);
  });

  it("reports a string or boolean compared with lt/lte/gt/gte/between", () => {
    expect(issues(ruleSet({column: "firm_net_change_12mo", lt: "0"}))).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): lt needs a number, got "0"`
    ]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", gte: true}))).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): gte needs a number, got true`
    ]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", between: ["a", "b"]}))).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): between needs [min, max] (two numbers), got ["a", "b"]`
    ]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", between: [1, 2, 3]}))).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): between needs [min, max] (two numbers), got [1, 2, 3]`
    ]);
  });

  it("reports ordering a string, boolean or date column when the columns are given", () => {
    expect(issues(ruleSet({column: "split", lt: 3}), columns)).toEqual([
      `tier "TIER_2" condition 3 (split): lt compares numbers, but "split" is a string column (VARCHAR)`
    ]);
    expect(issues(ruleSet({column: "is_active", between: [0, 1]}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_active): between compares numbers, but "is_active" is a boolean column (BOOLEAN)`
    ]);
  });

  it("reports a number column compared with a string (and other kind mismatches)", () => {
    expect(issues(ruleSet({column: "is_wirehouse", eq: "0"}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): a number column (TINYINT) compared with a string ("0")`
    ]);
    expect(issues(ruleSet({column: "is_wirehouse", notIn: [0, "1"]}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): notIn mixes number and string values; use one kind`
    ]);
    expect(issues(ruleSet({column: "is_wirehouse", in: ["0", "1"]}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): a number column (TINYINT) compared with a string ("0")`
    ]);
    expect(issues(ruleSet({column: "is_wirehouse", eq: false}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_wirehouse): a number column (TINYINT) compared with a boolean (false)`
    ]);
    expect(safeParseRuleSet(ruleSet({column: "is_wirehouse", in: [0, 1]}), columns).ok).toBe(true);
  });

  it("accepts matching kinds", () => {
    for (const condition of [
      {column: "split", in: ["TRAIN", "TEST"]},
      {column: "is_active", eq: true},
      {column: "contacted_date", eq: "2024-02-01"},
      {column: "split", isNull: true}
    ]) {
      expect(safeParseRuleSet(ruleSet(condition), columns).ok).toBe(true);
    }
    expect(issues(ruleSet({column: "split", ne: 1}), columns)).toEqual([
      `tier "TIER_2" condition 3 (split): a string column (VARCHAR) compared with a number (1)`
    ]);
    expect(issues(ruleSet({column: "is_active", eq: 1}), columns)).toEqual([
      `tier "TIER_2" condition 3 (is_active): a boolean column (BOOLEAN) compared with a number (1)`
    ]);
    expect(issues(ruleSet({column: "contacted_date", eq: "Feb 1"}), columns)).toEqual([
      `tier "TIER_2" condition 3 (contacted_date): a date column compared with "Feb 1", which is not a date (write dates as "YYYY-MM-DD")`
    ]);
  });

  it("reports bad operands of eq, in, notIn and isNull", () => {
    const at = `tier "TIER_2" condition 3 (split): `;
    expect(issues(ruleSet({column: "split", eq: null}))).toEqual([
      at + `eq null never matches in SQL; use {"isNull": true}`
    ]);
    expect(issues(ruleSet({column: "split", ne: [1]}))).toEqual([at + `ne needs a number, string or boolean, got [1]`]);
    expect(issues(ruleSet({column: "split", in: []}))).toEqual([at + `in needs a non-empty list`]);
    expect(issues(ruleSet({column: "split", notIn: []}))).toEqual([at + `notIn needs a non-empty list`]);
    expect(issues(ruleSet({column: "split", in: "TRAIN"}))).toEqual([at + `in needs a list of values, got "TRAIN"`]);
    expect(issues(ruleSet({column: "split", in: ["A", 1]}))).toEqual([
      at + `in mixes string and number values; use one kind`
    ]);
    expect(issues(ruleSet({column: "split", notIn: ["A", null]}))).toEqual([
      at + `notIn needs numbers, strings or booleans, got null at position 2`
    ]);
    expect(issues(ruleSet({column: "split", isNull: "yes"}))).toEqual([at + `isNull needs true or false, got "yes"`]);
  });

  it("reports notBetween's operand and column like between's", () => {
    const at = `tier "TIER_2" condition 3 (firm_net_change_12mo): `;
    expect(issues(ruleSet({column: "firm_net_change_12mo", notBetween: [3, 1]}))).toEqual([at + `notBetween needs min ≤ max, got [3, 1]`]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", notBetween: [1]}))).toEqual([at + `notBetween needs [min, max] (two numbers), got [1]`]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", notBetween: ["1", 2]}))).toEqual([at + `notBetween needs [min, max] (two numbers), got ["1", 2]`]);
    expect(issues(ruleSet({column: "split", notBetween: [1, 2]}), columns)).toEqual([
      `tier "TIER_2" condition 3 (split): notBetween compares numbers, but "split" is a string column (VARCHAR)`
    ]);
    expect(safeParseRuleSet(ruleSet({column: "firm_net_change_12mo", notBetween: [-1, -1]}), columns).ok).toBe(true);
  });

  it("takes startsWith only with text, on text columns", () => {
    const at = `tier "TIER_2" condition 3 (split): `;
    expect(issues(ruleSet({column: "split", startsWith: 5}))).toEqual([at + `startsWith needs text in quotes, got 5`]);
    expect(issues(ruleSet({column: "split", startsWith: ["TR"]}))).toEqual([at + `startsWith needs text in quotes, got ["TR"]`]);
    expect(issues(ruleSet({column: "split", startsWith: "T\u0000"}))).toEqual([at + `the startsWith value contains a NUL character, which SQL text cannot hold`]);
    expect(issues(ruleSet({column: "firm_net_change_12mo", startsWith: "1"}), columns)).toEqual([
      `tier "TIER_2" condition 3 (firm_net_change_12mo): startsWith tests text, but "firm_net_change_12mo" is a number column (INTEGER)`
    ]);
    expect(issues(ruleSet({column: "contacted_date", startsWith: "2024"}), columns)).toEqual([
      `tier "TIER_2" condition 3 (contacted_date): startsWith tests text, but "contacted_date" is a date column (DATE)`
    ]);
    expect(safeParseRuleSet(ruleSet({column: "split", startsWith: ""}), columns).ok).toBe(true);
  });

  it("reports duplicate tier ids", () => {
    const json = ruleSet();
    (json.tiers as {id: string}[])[1].id = "TIER_1";
    expect(issues(json)).toEqual([`tier id "TIER_1" is used by tiers 1 and 2; ids must be unique`]);
  });

  it("reports a tier id equal to the fallback id", () => {
    const json = ruleSet();
    (json.fallback as {id: string}).id = "TIER_2";
    expect(issues(json)).toEqual([`fallback id "TIER_2" is also the id of tier 2`]);
  });

  it("reports a group named like a tier outside it", () => {
    const json = ruleSet();
    (json.tiers as {group?: string}[])[1].group = "TIER_1";
    expect(issues(json)).toEqual([`group "TIER_1" is also the id of tier 1, which is not in that group`]);
    (json.tiers as {group?: string}[])[0].group = "TIER_1";
    expect(safeParseRuleSet(json).ok).toBe(true);
  });

  it("reports a rule set without tiers", () => {
    expect(issues({name: "x", description: "", tiers: [], fallback: {id: "S", label: "S"}})).toEqual([
      `the rule set has no tiers; give at least one tier besides the fallback`
    ]);
  });

  it("reports both or neither of when/anyOf, and empty lists", () => {
    const tier = (extra: object) => ({
      name: "x",
      description: "",
      tiers: [{id: "T", label: "t", ...extra}],
      fallback: {id: "S", label: "S"}
    });
    const c = {column: "a", eq: 1};
    expect(issues(tier({when: [c], anyOf: [[c]]}))).toEqual([`tier "T": give either "when" or "anyOf", not both`]);
    expect(issues(tier({}))).toEqual([`tier "T": needs "when" (conditions ANDed) or "anyOf" (a list of AND-lists)`]);
    expect(issues(tier({when: []}))).toEqual([`tier "T": "when" is empty; a tier needs at least one condition`]);
    expect(issues(tier({anyOf: []}))).toEqual([`tier "T": "anyOf" is empty; give at least one list of conditions`]);
    expect(issues(tier({anyOf: [[c], []]}))).toEqual([`tier "T": anyOf 2 is empty`]);
    expect(issues(tier({anyOf: [[c], [{column: "b", between: [2, 1]}]]}))).toEqual([
      `tier "T" anyOf 2 condition 1 (b): between needs min ≤ max, got [2, 1]`
    ]);
  });

  it("reports wrong fields by name, and unknown fields", () => {
    const json = ruleSet();
    json.description = 5;
    (json.tiers as Record<string, unknown>[])[0].label = 3;
    (json.tiers as Record<string, unknown>[])[0].expectedConversion = 15;
    (json.tiers as Record<string, unknown>[])[1].When = [];
    (json.fallback as Record<string, unknown>).id = "";
    expect(issues(json)).toEqual([
      `"description" must be text, got 5`,
      `tier "TIER_1": "label" must be text, got 3`,
      `tier "TIER_1": "expectedConversion" must be between 0 and 1`,
      `tier "TIER_2": unknown field "When"`,
      `fallback: "id" must not be empty`
    ]);
    expect(issues([])).toEqual([`rule set: a rule set must be an object, got []`]);
  });

  it("reports every problem at once", () => {
    const json = ruleSet({column: "firm_net_change_12mo", between: [-1, -10]});
    (json.tiers as {id: string}[])[0].id = "TIER_2";
    (json.fallback as {label?: string}).label = undefined;
    expect(issues(json)).toHaveLength(3);
  });
});

describe("parseRuleSetText", () => {
  it("parses valid text", () => {
    expect(parseRuleSetText(JSON.stringify(ruleSet(), null, 2)).name).toBe("test");
  });

  it("reports invalid JSON with line and column", () => {
    const text = '{\n  "name": "x",\n  "tiers": [\n    {"id": "A" "label": "a"}\n  ]\n}';
    try {
      parseRuleSetText(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleSetError);
      expect((error as RuleSetError).issues).toEqual([
        `invalid JSON at line 4, column 16: expected "," or "}" in an object, found """`
      ]);
    }
  });

  it("locates common JSON mistakes", () => {
    expect(locateJsonError('{"a": [1, 2,]}')).toEqual({line: 1, column: 13, message: `expected a value, found "]"`});
    expect(locateJsonError("{'a': 1}")).toMatchObject({line: 1, column: 2});
    expect(locateJsonError('{"a": 1}\n}')).toEqual({
      line: 2,
      column: 1,
      message: `unexpected "}" after the end of the value`
    });
    expect(locateJsonError('{"a": tru}')).toMatchObject({line: 1, column: 7});
    expect(locateJsonError('{"a": "x')).toMatchObject({line: 1, column: 9, message: "unterminated string"});
    expect(locateJsonError("")).toEqual({line: 1, column: 1, message: "expected a value, found end of input"});
    expect(locateJsonError('{"a": 1}')).toEqual({line: 1, column: 9, message: "invalid JSON"});
  });

  it("validates after parsing", () => {
    expect(() =>
      parseRuleSetText('{"name": "x", "description": "", "tiers": [], "fallback": {"id": "S", "label": "S"}}')
    ).toThrow(/has no tiers/);
  });
});
