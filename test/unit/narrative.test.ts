import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {compareRuleSets} from "../../src/lib/tiers/compare.js";
import {changeSummary, priority} from "../../src/lib/tiers/narrative.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

// x: 1..10, target 1 for x in {9, 10}; 10 leads, 2 conversions.
const deployed: RuleSet = {name: "Deployed", description: "", tiers: [{id: "T1", label: "Top", when: [{column: "x", gte: 9}]}], fallback: {id: "STANDARD", label: "Standard"}};
const wider: RuleSet = {name: "Wider", description: "", tiers: [{id: "T1", label: "Top", when: [{column: "x", gte: 7}]}], fallback: {id: "STANDARD", label: "Standard"}};

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await conn.run(`CREATE TABLE leads AS SELECT x, (x >= 9)::INTEGER AS target, DATE '2024-03-01' AS contacted_date FROM range(1, 11) t(x)`);
});
afterAll(() => conn.close());

describe("report narrative", () => {
  it("describes volume and conversion against the deployed rules, from hand-counted numbers", async () => {
    const c = await compareRuleSets(conn, wider, deployed);
    // Deployed: T1 = x 9,10 → 2 leads, 2 conversions. Wider: T1 = x 7..10 → 4 leads, 2 conversions.
    expect(priority(c.compare)).toMatchObject({leads: 2, share: 0.2, conversions: 2, rate: 1});
    expect(priority(c.current)).toMatchObject({leads: 4, share: 0.4, conversions: 2, rate: 0.5});
    const text = changeSummary(c).join(" ");
    expect(text).toContain("hold 4 leads (40.0%) under Wider, against 2 (20.0%) under Deployed: +2 leads for sales to work");
    expect(text).toContain("Their conversion is 50.00% (n = 4) against 100.00% (n = 2)");
    expect(text).toContain("2 leads change tier");
    // Wider: T1 holds both conversions (x 9, 10) and 2 non-conversions (x 7, 8); STANDARD 6 non-conversions.
    // U = 2·(6 + ½·2) = 14 of 2·8 pairs: AUC 0.875, Gini 0.75, KS |1 − 2/8| = 0.75.
    expect(text).toContain("The priority tiers capture 100.0% of conversions (2 of 2) with 40.0% of leads; the tier order's AUC is 0.875 (Gini 0.750, KS 0.750; 0.5 is no better than chance).");
  });

  it("says so when nothing changes", async () => {
    const text = changeSummary(await compareRuleSets(conn, deployed, deployed)).join(" ");
    expect(text).toContain("no lead changes tier");
  });
});
