// docs/rule-sets.md against the operator table: one row per operator, holding the table's doc
// text, in the table's order; and its JSON example is a valid rule set.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {OPERATOR_TABLE, OPERATORS} from "../../src/lib/rules/operators.js";
import {parseRuleSetText} from "../../src/lib/rules/parse.js";

const docs = readFileSync(join(import.meta.dirname, "..", "..", "docs", "rule-sets.md"), "utf8");

describe("docs/rule-sets.md", () => {
  it("has a row for every operator of the table, with its doc text, and no other", () => {
    const rows = [...docs.matchAll(/^\| `([A-Za-z]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(OPERATORS.map((op) => [op, OPERATOR_TABLE[op].doc]));
  });

  it("gives a JSON example that is a valid rule set", () => {
    const example = /```json\n([\s\S]*?)```/.exec(docs);
    expect(example).not.toBeNull();
    expect(parseRuleSetText(example![1]).tiers.map((t) => t.id)).toEqual(["TIER_1"]);
  });
});
