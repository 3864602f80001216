// One scan gives both reports and the migration matrix; checked against counts worked by hand.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {checkedComparisonSql, compareRuleSets, comparisonSql, tierDeltas} from "../../src/lib/tiers/compare.js";
import type {RuleSet} from "../../src/lib/rules/types.js";

// x:  1  5  5  9  9  NULL   target: 1 0 1 1 0 NULL
const A: RuleSet = {name: "A", description: "", tiers: [{id: "HIGH", label: "High", when: [{column: "x", gte: 9}]}, {id: "MID", label: "Mid", when: [{column: "x", gte: 5}]}], fallback: {id: "REST", label: "Rest"}};
const B: RuleSet = {name: "B", description: "", tiers: [{id: "HIGH", label: "High", when: [{column: "x", gte: 5}]}], fallback: {id: "REST", label: "Rest"}};

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await conn.run(`CREATE TABLE leads AS SELECT * FROM (VALUES (1, 1), (5, 0), (5, 1), (9, 1), (9, 0), (NULL, NULL)) t(x, target)`);
  await conn.run(`ALTER TABLE leads ADD COLUMN contacted_date DATE DEFAULT DATE '2024-03-01'`);
});
afterAll(() => conn.close());

describe("comparing two rule sets", () => {
  it("derives both reports and the migration matrix from one joint count", async () => {
    const c = await compareRuleSets(conn, A, B);
    // Under B (compare): HIGH = x ≥ 5 → 4 leads (3 conversions of 4 labeled); REST = x 1 and NULL → 2 leads, 1 labeled, 1 conversion.
    expect(c.compare.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["HIGH", 4, 4, 2], ["REST", 2, 1, 1]]);
    // Under A (current): HIGH = x 9 (2 leads, 1 conv), MID = x 5 (2 leads, 1 conv), REST = x 1, NULL.
    expect(c.current.tiers.map((t) => [t.id, t.leads, t.labeled, t.conversions])).toEqual([["HIGH", 2, 2, 1], ["MID", 2, 2, 1], ["REST", 2, 1, 1]]);
    const cells = c.matrix.map((m) => `${m.from}→${m.to}:${m.leads}`).sort();
    expect(cells).toEqual(["HIGH→HIGH:2", "HIGH→MID:2", "REST→REST:2"]);
    expect(c.current.population).toMatchObject({leads: 6, labeled: 5, conversions: 3});
  });

  it("groups tier positions instead of ids when asked (codes), with the same numbers and the readable SQL", async () => {
    const byIds = await compareRuleSets(conn, A, B);
    const byCodes = await compareRuleSets(conn, A, B, {codes: true});
    expect(byCodes.matrix.map((m) => `${m.from}→${m.to}:${m.leads}/${m.labeled}/${m.conversions}`).sort()).toEqual(["HIGH→HIGH:2/2/1", "HIGH→MID:2/2/1", "REST→REST:2/1/1"]);
    expect(byCodes.current).toEqual(byIds.current);
    expect(byCodes.compare).toEqual(byIds.compare);
    expect(byCodes.sql).toBe(byIds.sql);
    expect(comparisonSql(A, B)).toContain("THEN 'HIGH'");
  });

  it("with codes, rule sets with the same conditions but other tier ids share one CASE and keep their own ids", async () => {
    const renamed: RuleSet = {...structuredClone(A), tiers: A.tiers.map((t) => ({...t, id: `NEW_${t.id}`})), fallback: {id: "OTHER", label: "Other"}};
    expect(checkedComparisonSql(renamed, A, {}, "duckdb", "leads").match(/\bEND\b/g)).toHaveLength(2);
    expect(checkedComparisonSql(renamed, A, {}, "duckdb", "leads", {codes: true}).match(/\bEND\b/g)).toHaveLength(1);
    const c = await compareRuleSets(conn, renamed, A, {codes: true});
    expect(c.matrix.map((m) => `${m.from}→${m.to}:${m.leads}`).sort()).toEqual(["HIGH→NEW_HIGH:2", "MID→NEW_MID:2", "REST→OTHER:2"]);
    expect(c.matrix).toEqual(expect.arrayContaining((await compareRuleSets(conn, renamed, A)).matrix));
  });

  it("runs the CASE once when both rule sets assign the same tiers, with the same numbers", async () => {
    // Labels, names and expected conversions do not change which tier a lead gets.
    const relabelled: RuleSet = {...structuredClone(A), name: "A again", tiers: A.tiers.map((t) => ({...t, label: t.label + "!", expectedConversion: 0.5}))};
    const sql = comparisonSql(relabelled, A);
    expect(sql.match(/\bEND\b/g)).toHaveLength(1);
    expect(sql).toMatch(/^-- Both rule sets assign the same tiers/);
    expect(sql).toMatch(/GROUP BY tier_from$/);
    const c = await compareRuleSets(conn, relabelled, A);
    expect(c.matrix.map((m) => `${m.from}→${m.to}:${m.leads}/${m.labeled}/${m.conversions}`).sort()).toEqual(["HIGH→HIGH:2/2/1", "MID→MID:2/2/1", "REST→REST:2/1/1"]);
    expect(c.current.tiers.map((t) => [t.id, t.label, t.leads])).toEqual([["HIGH", "High!", 2], ["MID", "Mid!", 2], ["REST", "Rest", 2]]);
    expect(c.compare.tiers.map((t) => t.leads)).toEqual([2, 2, 2]);
    // Any difference in the conditions brings back the second CASE.
    const moved = structuredClone(A);
    (moved.tiers[1].when![0] as {gte: number}).gte = 4;
    expect(comparisonSql(moved, A).match(/\bEND\b/g)).toHaveLength(2);
  });

  it("lists per-tier deltas, including tiers only one side has", async () => {
    const d = tierDeltas(await compareRuleSets(conn, A, B));
    expect(d.map((r) => [r.id, r.status, r.leads, r.compareLeads])).toEqual([["HIGH", "both", 2, 4], ["MID", "new", 2, null], ["REST", "both", 2, 2]]);
  });
});
