// The tier page's sweeps (SweepRunner): counted from the columns file (written and decoded as the
// site does) they equal the SQL sweep `tierlab sweep` runs, for every threshold the editor offers
// and several populations; rules on a column the file does not hold go to the engine, and say why.
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {copyToPreviewColumns} from "../../loaders/leads-arrow.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {decodePreviewColumns} from "../../src/components/leadsArrowFile.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import type {Population} from "../../src/lib/population.js";
import {parseRuleSet, type RuleSet} from "../../src/lib/rules/index.js";
import {sweepCommand, sweepRequest, SweepRunner, type SweepTarget} from "../../src/lib/tiers/sweep-runner.js";
import {sweepSql, ThresholdError} from "../../src/lib/tiers/sweep.js";
import type {PreviewSource} from "../../src/lib/tiers/preview-source.js";

let db: NodeConnector;
let columns: ColumnInfo[];
let source: PreviewSource;
beforeAll(async () => {
  db = await NodeConnector.open();
  // 600 leads: x and z integers with NULLs, w a DOUBLE (not in the columns file), splits, wirehouses, unlabeled leads.
  await db.run(`CREATE OR REPLACE TABLE leads AS SELECT
      i AS lead_id,
      CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 37) % 61 END::INTEGER AS x,
      CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 13) % 9 END::SMALLINT AS z,
      ((i * 7) % 100) / 100.0 AS w,
      CASE WHEN i % 23 = 0 THEN NULL ELSE ((i * 31) % 7 = 0)::TINYINT END AS target,
      DATE '2024-01-01' + (i % 300)::INTEGER AS contacted_date,
      ['TRAIN', 'GAP', 'TEST'][1 + i % 3] AS split,
      (i % 5 = 0)::TINYINT AS is_wirehouse
    FROM range(600) t(i)`);
  columns = await describeColumns(db, "leads");
  const file = join(mkdtempSync(join(tmpdir(), "tierlab-sweep-runner-")), "leads.arrow");
  await copyToPreviewColumns(db, file, {kind: "synthetic", source: "test", exportedAt: "2026-01-01T00:00:00Z", rows: 600}, "leads", {candidates: ["x", "z", "is_wirehouse"], batchRows: 128});
  source = await decodePreviewColumns(readFileSync(file));
});
afterAll(() => db?.close());

const RULES: RuleSet = {
  name: "runner",
  tiers: [
    {id: "A", label: "A", anyOf: [[{column: "x", between: [10, 40]}, {column: "z", gte: 3}], [{column: "x", lt: 5}]]},
    {id: "B", label: "B", when: [{column: "z", notBetween: [2, 6]}, {column: "is_wirehouse", eq: 0}]},
    {id: "C", label: "C", when: [{column: "x", gt: 30}]}
  ],
  fallback: {id: "REST", label: "Rest"}
};

/** Every threshold the editor offers a chart for, as its place. */
const TARGETS: SweepTarget[] = [
  {tierIndex: 0, alternative: 0, position: 0, bound: "low"},
  {tierIndex: 0, alternative: 0, position: 0, bound: "high"},
  {tierIndex: 0, alternative: 0, position: 1, bound: null},
  {tierIndex: 0, alternative: 1, position: 0, bound: null},
  {tierIndex: 1, alternative: 0, position: 0, bound: "low"},
  {tierIndex: 1, alternative: 0, position: 0, bound: "high"},
  {tierIndex: 2, alternative: 0, position: 0, bound: null}
];

const POPULATIONS: Population[] = [{}, {split: "TRAIN"}, {excludeWirehouse: true, from: "2024-02-01", to: "2024-08-31"}, {analysisDate: "2024-09-01", maturityDays: 40}];

const runner = () => new SweepRunner({source, engine: async () => db, schema: columns});

describe("SweepRunner", () => {
  it("names a place as tierlab sweep does", () => {
    const rules = parseRuleSet(RULES, columns);
    expect(TARGETS.map((t) => sweepRequest(rules, t))).toEqual([
      {tier: "A", condition: "1.1", bound: "low"},
      {tier: "A", condition: "1.1", bound: "high"},
      {tier: "A", condition: "1.2", bound: null},
      {tier: "A", condition: "2.1", bound: null},
      {tier: "B", condition: "1", bound: "low"},
      {tier: "B", condition: "1", bound: "high"},
      {tier: "C", condition: "1", bound: null}
    ]);
    expect(() => sweepRequest(rules, {tierIndex: 3, alternative: 0, position: 0, bound: null})).toThrow(ThresholdError);
    expect(sweepCommand({tier: "A", condition: "1.1", bound: "low"}, {split: "TRAIN", excludeWirehouse: true, analysisDate: "2024-09-01", maturityDays: 40}, "r.json")).toBe(
      "npx tierlab sweep --data leads.parquet --rules r.json --tier A --condition 1.1 --bound low --split TRAIN --exclude-wirehouse --analysis-date 2024-09-01 --maturity-days 40"
    );
  });

  it("from the columns file, equals the SQL sweep for every threshold and population", async () => {
    const rules = parseRuleSet(RULES, columns);
    const r = runner();
    for (const population of POPULATIONS) {
      for (const target of TARGETS) {
        const request = sweepRequest(rules, target);
        const page = await r.run(rules, request, population);
        const cli = await sweepSql(db, rules, request, {population, columns});
        expect(page.countedBy).toBe("loop");
        expect(page.points).toEqual(cli.points);
        expect([page.current, page.population]).toEqual([cli.current, cli.population]);
      }
    }
  });

  it("a rule on a column the file does not hold: by SQL on the engine, saying why", async () => {
    const rules = parseRuleSet({...RULES, tiers: [...RULES.tiers, {id: "D", label: "D", when: [{column: "w", gte: 0.5}]}]}, columns);
    for (const request of [sweepRequest(rules, TARGETS[3]), {tier: "D", condition: "1", bound: null}]) {
      const page = await runner().run(rules, request, {split: "TEST"});
      const cli = await sweepSql(db, rules, request, {population: {split: "TEST"}, columns});
      expect([page.countedBy, page.reason]).toEqual(["sql", "the columns file does not hold w"]);
      expect(page.points).toEqual(cli.points);
    }
  });

  it("without a columns file, by SQL; a condition that cannot move is a ThresholdError", async () => {
    const rules = parseRuleSet(RULES, columns);
    const page = await new SweepRunner({source: null, engine: async () => db, schema: columns}).run(rules, sweepRequest(rules, TARGETS[0]), {});
    expect(page.countedBy).toBe("sql");
    expect(page.points).toEqual((await sweepSql(db, rules, sweepRequest(rules, TARGETS[0]), {columns})).points);
    await expect(runner().run(rules, {tier: "B", condition: "2", bound: null}, {})).rejects.toThrow(/only numeric thresholds/);
  });
});

