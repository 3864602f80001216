// Signals, bands and crosses on the hand-built 12-lead table (signals-fixture.ts). Every expected
// count below was counted from the fixture's lines; rates are those counts divided; intervals are
// the separately computed Wilson values in WILSON.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import type {ColumnInfo} from "../../src/lib/column-info.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {
  bandSql,
  bandStats,
  bandsFor,
  compileConditions,
  crossSql,
  crossStats,
  investigateSignals,
  parseEdges,
  parseSignalsConfig,
  rankSignals,
  signalsSql,
  signalStats,
  SignalsError,
  type SignalDefinition,
  type SignalsConfig
} from "../../src/lib/signals/signals.js";
import {binaryInformationValue, evidence, informationValue, ivStrength} from "../../src/lib/signals/iv.js";
import {publishedBaseline} from "../../src/lib/signals/format.js";
import {WILSON, writeFixture} from "./signals-fixture.js";

const ROOT = join(import.meta.dirname, "..", "..");
const DEFAULTS = JSON.parse(readFileSync(join(ROOT, "data", "signals.json"), "utf8")) as SignalsConfig;

let conn: NodeConnector;
let columns: ColumnInfo[];
beforeAll(async () => {
  conn = await NodeConnector.open();
  await loadLeadsFile(conn, writeFixture());
  columns = await describeColumns(conn, "leads");
});
afterAll(() => conn?.close());

type Expected = {leads: number; labeled: number; conversions: number; ci: string | null; lift?: number | null};
function expectStat(actual: {leads: number; labeled: number; conversions: number; rate: number | null; ci: [number, number] | null; lift?: number | null}, e: Expected) {
  expect({leads: actual.leads, labeled: actual.labeled, conversions: actual.conversions}).toEqual({leads: e.leads, labeled: e.labeled, conversions: e.conversions});
  if (e.labeled === 0) expect(actual.rate).toBeNull();
  else expect(actual.rate).toBeCloseTo(e.conversions / e.labeled, 12);
  if (e.ci === null) expect(actual.ci).toBeNull();
  else {
    expect(actual.ci![0]).toBeCloseTo(WILSON[e.ci][0], 12);
    expect(actual.ci![1]).toBeCloseTo(WILSON[e.ci][1], 12);
  }
  if (e.lift === undefined) return;
  if (e.lift === null) expect(actual.lift).toBeNull();
  else expect(actual.lift).toBeCloseTo(e.lift, 12);
}

describe("signals on the hand-built table", () => {
  it("counts every default signal, with its rate, Wilson interval and lift vs the population rate", async () => {
    const result = await signalStats(conn, DEFAULTS.signals, {columns});
    // 12 leads; L05 and L10 unlabeled; conversions L01 L03 L06 L09 L12.
    expectStat(result.population, {leads: 12, labeled: 10, conversions: 5, ci: "5/10"});
    const byId = Object.fromEntries(result.signals.map((s) => [s.id, s]));
    // tenure < 12: L04 (11), L07 (0); L06 is NULL and matches nothing.
    expectStat(byId.tenure_lt_1y, {leads: 2, labeled: 2, conversions: 0, ci: "0/2", lift: 0});
    // tenure 12..36: L01 (12, edge), L02 (36, edge), L05, L10, L12; labeled L01 L02 L12; converted L01 L12.
    expectStat(byId.tenure_1_3y, {leads: 5, labeled: 3, conversions: 2, ci: "2/3", lift: 2 / 3 / 0.5});
    // reps 1..10: L01 (1), L02 (10), L06, L10, L12; L07 has 0, L05 NULL.
    expectStat(byId.small_firm_1_10, {leads: 5, labeled: 4, conversions: 3, ci: "3/4", lift: 1.5});
    // tenure 12..36 and change < 0: L01 L02 L05 L10 (L12 has change 0).
    expectStat(byId.short_tenure_bleeding, {leads: 4, labeled: 2, conversions: 1, ci: "1/2", lift: 1});
    // change -10..-1: L01 (-1), L02 (-10), L05, L10, L11 (-10).
    expectStat(byId.moderate_bleeding, {leads: 5, labeled: 3, conversions: 1, ci: "1/3", lift: 2 / 3});
    // prior >= 3: L01 L03 L06 L08 L10 L11.
    expectStat(byId.prior_firms_3plus, {leads: 6, labeled: 5, conversions: 3, ci: "3/5", lift: 1.2});
    // change < -10: L03 (-11), L08 (-20); L02/L11 at -10 are not.
    expectStat(byId.heavy_bleeding, {leads: 2, labeled: 2, conversions: 1, ci: "1/2", lift: 1});
  });

  it("ranks by rate, ties by labeled count then id, and keeps the published values", async () => {
    const result = await signalStats(conn, DEFAULTS.signals, {columns});
    expect(result.signals.map((s) => s.id)).toEqual(["small_firm_1_10", "tenure_1_3y", "prior_firms_3plus", "heavy_bleeding", "short_tenure_bleeding", "moderate_bleeding", "tenure_lt_1y"]);
    expect(result.signals.find((s) => s.id === "tenure_1_3y")!.published).toEqual({rate: 0.1576, lift: 3.7});
    expect(result.signals.find((s) => s.id === "short_tenure_bleeding")!.definition).toBe("current_firm_tenure_months between 12 and 36 and firm_net_change_12mo < 0");
    expect(result.liftBase).toMatch(/population rate/);
  });

  it("gives rate, interval and lift null (not NaN) when nothing is labeled, and ranks it last", async () => {
    const signals: SignalDefinition[] = [
      {id: "no_reps", label: "rep count unknown", when: [{column: "firm_rep_count_at_contact", isNull: true}]},
      {id: "nobody", label: "impossible", when: [{column: "num_prior_firms", gt: 100}]},
      {id: "all_known_tenure", label: "tenure known", when: [{column: "current_firm_tenure_months", isNull: false}]}
    ];
    const result = await signalStats(conn, signals, {columns});
    // Both without labeled leads go last, in id order ("_" sorts before "b").
    expect(result.signals.map((s) => s.id)).toEqual(["all_known_tenure", "no_reps", "nobody"]);
    expectStat(result.signals[1], {leads: 1, labeled: 0, conversions: 0, ci: null, lift: null});
    expectStat(result.signals[2], {leads: 0, labeled: 0, conversions: 0, ci: null, lift: null});
    expect(result.signals[2].share).toBe(0);
    expect(JSON.stringify(result)).not.toMatch(/NaN/);
    expect(JSON.parse(JSON.stringify(result.signals[1])).rate).toBeNull();
  });

  it("restricts the population: split, date window, wirehouses, maturity", async () => {
    const one = [DEFAULTS.signals.find((s) => s.id === "tenure_1_3y")!, DEFAULTS.signals.find((s) => s.id === "tenure_lt_1y")!];
    const train = await signalStats(conn, one, {columns, population: {split: "TRAIN"}});
    expectStat(train.population, {leads: 5, labeled: 4, conversions: 2, ci: "2/4"});
    expectStat(train.signals.find((s) => s.id === "tenure_1_3y")!, {leads: 3, labeled: 2, conversions: 1, ci: "1/2", lift: 1});
    expect(train.population.description).toBe("TRAIN");

    const noWirehouse = await signalStats(conn, one, {columns, population: {excludeWirehouse: true}});
    expect(noWirehouse.population).toMatchObject({leads: 10, labeled: 8, conversions: 5, rate: 0.625});
    expectStat(noWirehouse.signals.find((s) => s.id === "tenure_lt_1y")!, {leads: 0, labeled: 0, conversions: 0, ci: null, lift: null});

    const window = await signalStats(conn, one, {columns, population: {from: "2024-03-01", to: "2024-05-01"}});
    expect(window.population).toMatchObject({leads: 5, labeled: 4, conversions: 1, rate: 0.25});

    // Contacts after 2024-05-31 are not mature: L11 and L12 lose their labels.
    const mature = await signalStats(conn, one, {columns, population: {analysisDate: "2024-06-30", maturityDays: 30}});
    expect(mature.population).toMatchObject({leads: 12, labeled: 8, conversions: 4, rate: 0.5});
    expectStat(mature.signals.find((s) => s.id === "tenure_1_3y")!, {leads: 5, labeled: 2, conversions: 1, ci: "1/2", lift: 1});
  });
});

describe("bands", () => {
  const band = (column: string) => DEFAULTS.bands.find((b) => b.column === column)!;

  it("labels whole-number bands min–max and open ends, and fractional ones 'a to < b'", () => {
    expect(bandsFor([12, 37, 49, 121])).toEqual([
      {label: "< 12", min: null, max: 11, lessThan: 12},
      {label: "12–36", min: 12, max: 36, lessThan: 37},
      {label: "37–48", min: 37, max: 48, lessThan: 49},
      {label: "49–120", min: 49, max: 120, lessThan: 121},
      {label: "≥ 121", min: 121, max: null, lessThan: null}
    ]);
    expect(bandsFor([-10, 0, 1]).map((b) => b.label)).toEqual(["< -10", "-10 to -1", "0", "≥ 1"]);
    expect(bandsFor([1, 2], false)).toEqual([
      {label: "< 1", min: null, max: null, lessThan: 1},
      {label: "1 to < 2", min: 1, max: null, lessThan: 2},
      {label: "≥ 2", min: 2, max: null, lessThan: null}
    ]);
    // A fractional edge on whole numbers: [12.5, 20) holds 13..19.
    expect(bandsFor([12.5, 20])[1]).toEqual({label: "13–19", min: 13, max: 19, lessThan: 20});
  });

  it("counts tenure bands with values exactly on the edges, NULL in 'missing'", async () => {
    const r = await bandStats(conn, band("current_firm_tenure_months"), {columns});
    expect(r.wholeNumbers).toBe(true);
    expect(r.bands.map((b) => b.label)).toEqual(["< 12", "12–36", "37–48", "49–120", "≥ 121"]);
    // Population rate 5/10 = 0.5 (every band query sees the whole population).
    expectStat(r.bands[0], {leads: 2, labeled: 2, conversions: 0, ci: "0/2", lift: 0}); // L04 11, L07 0
    expectStat(r.bands[1], {leads: 5, labeled: 3, conversions: 2, ci: "2/3", lift: 4 / 3}); // 12, 36, 24, 12, 30
    expectStat(r.bands[2], {leads: 2, labeled: 2, conversions: 2, ci: "2/2", lift: 2}); // L03 37, L09 48
    expectStat(r.bands[3], {leads: 1, labeled: 1, conversions: 0, ci: "0/1", lift: 0}); // L11 120
    expectStat(r.bands[4], {leads: 1, labeled: 1, conversions: 0, ci: "0/1", lift: 0}); // L08 121
    expectStat(r.missing, {leads: 1, labeled: 1, conversions: 1, ci: "1/1", lift: 2}); // L06
    expect(r.bands[1].share).toBeCloseTo(5 / 12, 12);
  });

  it("counts firm size bands, including an empty band and a missing lead with no label", async () => {
    const r = await bandStats(conn, band("firm_rep_count_at_contact"), {columns});
    expect(r.bands.map((b) => b.label)).toEqual(["< 1", "1–10", "11–50", "51–200", "201–1000", "≥ 1001"]);
    expectStat(r.bands[0], {leads: 1, labeled: 1, conversions: 0, ci: "0/1", lift: 0}); // L07 0
    expectStat(r.bands[1], {leads: 5, labeled: 4, conversions: 3, ci: "3/4", lift: 1.5}); // 1, 10, 5, 2, 8
    expectStat(r.bands[2], {leads: 2, labeled: 2, conversions: 1, ci: "1/2", lift: 1}); // 11, 50
    expectStat(r.bands[3], {leads: 2, labeled: 2, conversions: 1, ci: "1/2", lift: 1}); // 51, 200
    expectStat(r.bands[4], {leads: 0, labeled: 0, conversions: 0, ci: null, lift: null});
    expectStat(r.bands[5], {leads: 1, labeled: 1, conversions: 0, ci: "0/1", lift: 0}); // 1001
    expectStat(r.missing, {leads: 1, labeled: 0, conversions: 0, ci: null, lift: null}); // L05
  });

  it("counts net change, prior firms and industry tenure bands", async () => {
    const change = await bandStats(conn, band("firm_net_change_12mo"), {columns});
    expect(change.bands.map((b) => [b.label, b.leads, b.labeled, b.conversions])).toEqual([
      ["< -10", 2, 2, 1], // L03 -11, L08 -20
      ["-10 to -1", 5, 3, 1], // -1, -10, -5, -3, -10
      ["0", 2, 2, 1], // L04, L12
      ["≥ 1", 2, 2, 1] // L07 1, L09 3
    ]);
    expect([change.missing.leads, change.missing.labeled, change.missing.conversions]).toEqual([1, 1, 1]);
    const prior = await bandStats(conn, band("num_prior_firms"), {columns});
    expect(prior.bands.map((b) => [b.label, b.leads, b.labeled, b.conversions])).toEqual([
      ["< 1", 2, 2, 1],
      ["1", 1, 1, 0],
      ["2", 2, 2, 1],
      ["3–4", 4, 4, 2],
      ["≥ 5", 2, 1, 1]
    ]);
    expect([prior.missing.leads, prior.missing.labeled]).toEqual([1, 0]);
    const industry = await bandStats(conn, band("industry_tenure_months"), {columns});
    expect(industry.bands.map((b) => [b.label, b.leads, b.labeled, b.conversions])).toEqual([
      ["< 60", 2, 1, 0],
      ["60–120", 4, 3, 2],
      ["121–180", 0, 0, 0],
      ["181–240", 3, 3, 1],
      ["≥ 241", 2, 2, 1]
    ]);
    expect(industry.bands[2].rate).toBeNull();
  });

  it("bands a fractional column as 'a to < b'", async () => {
    const r = await bandStats(conn, {column: "ratio", edges: [1, 2]}, {columns});
    expect(r.wholeNumbers).toBe(false);
    expect(r.bands.map((b) => [b.label, b.max, b.leads, b.labeled, b.conversions])).toEqual([
      ["< 1", null, 3, 3, 2], // 0.5, 0, 0.99
      ["1 to < 2", null, 4, 3, 1], // 1, 1.5, 1.99, 1 (L10 unlabeled)
      ["≥ 2", null, 4, 4, 2] // 2, 2.5, 3, 2
    ]);
    expect(r.missing.leads).toBe(1);
  });

  it("crosses two banded columns: every pair, missing on both axes, thin cells flagged", async () => {
    const cross = await crossStats(conn, band("current_firm_tenure_months"), band("firm_rep_count_at_contact"), {columns});
    expect(cross.a.bands).toEqual(["< 12", "12–36", "37–48", "49–120", "≥ 121", "missing"]);
    expect(cross.b.bands).toEqual(["< 1", "1–10", "11–50", "51–200", "201–1000", "≥ 1001", "missing"]);
    expect(cross.cells).toHaveLength(42);
    expect(cross.cells.reduce((s, c) => s + c.leads, 0)).toBe(12);
    const cell = (a: string, b: string) => cross.cells.find((c) => c.a === a && c.b === b)!;
    // tenure 12–36 × reps 1–10: L01 L02 L10 L12 (L05's reps are NULL).
    expectStat(cell("12–36", "1–10"), {leads: 4, labeled: 3, conversions: 2, ci: "2/3", lift: 4 / 3});
    expect(cell("12–36", "1–10").thin).toBe(true);
    expectStat(cell("12–36", "missing"), {leads: 1, labeled: 0, conversions: 0, ci: null, lift: null}); // L05
    expectStat(cell("missing", "1–10"), {leads: 1, labeled: 1, conversions: 1, ci: "1/1", lift: 2}); // L06
    expectStat(cell("37–48", "11–50"), {leads: 1, labeled: 1, conversions: 1, ci: "1/1", lift: 2}); // L03
    expect(cell("≥ 121", "≥ 1001").leads).toBe(1); // L08
  });
});

describe("the investigation as a whole", () => {
  it("runs the default config: population, ranked signals, one entry per band column", async () => {
    const report = await investigateSignals(conn, DEFAULTS, {columns});
    expect(report.population).toMatchObject({leads: 12, labeled: 10, conversions: 5, rate: 0.5});
    expect(report.signals).toHaveLength(7);
    expect(report.bands.map((b) => b.column)).toEqual(["current_firm_tenure_months", "industry_tenure_months", "firm_rep_count_at_contact", "firm_net_change_12mo", "num_prior_firms"]);
    for (const b of report.bands) expect(b.bands.reduce((s, x) => s + x.leads, 0) + b.missing.leads).toBe(12);
  });
});

describe("SQL", () => {
  it("computes all signals in one aggregate query, DuckDB FILTER style, names and values escaped", () => {
    const sql = signalsSql(DEFAULTS.signals.slice(0, 2), {population: {split: "TEST"}});
    expect(sql).toBe(
      [
        "SELECT",
        `  COUNT(*) AS "leads",`,
        `  COUNT(CAST("target" AS INTEGER)) AS "labeled",`,
        `  COALESCE(SUM(CAST("target" AS INTEGER)), 0) AS "conversions",`,
        `  COUNT(*) FILTER (WHERE ("current_firm_tenure_months" < 12)) AS "s0_leads",`,
        `  COUNT(CAST("target" AS INTEGER)) FILTER (WHERE ("current_firm_tenure_months" < 12)) AS "s0_labeled",`,
        `  COALESCE(SUM(CAST("target" AS INTEGER)) FILTER (WHERE ("current_firm_tenure_months" < 12)), 0) AS "s0_conversions",`,
        `  COUNT(*) FILTER (WHERE ("current_firm_tenure_months" BETWEEN 12 AND 36)) AS "s1_leads",`,
        `  COUNT(CAST("target" AS INTEGER)) FILTER (WHERE ("current_firm_tenure_months" BETWEEN 12 AND 36)) AS "s1_labeled",`,
        `  COALESCE(SUM(CAST("target" AS INTEGER)) FILTER (WHERE ("current_firm_tenure_months" BETWEEN 12 AND 36)), 0) AS "s1_conversions"`,
        `FROM "leads"`,
        `WHERE "split" = 'TEST'`
      ].join("\n")
    );
    const odd = signalsSql([{when: [{column: 'we"ird', eq: "it's"}]}]);
    expect(odd).toContain(`("we""ird" = 'it''s')`);
  });

  it("writes BigQuery SQL with COUNTIF / IF and backticks", () => {
    const sql = signalsSql(DEFAULTS.signals.slice(3, 4), {dialect: "bigquery", table: "proj.ds.leads", population: {excludeWirehouse: true}});
    expect(sql).toContain("COUNTIF((`current_firm_tenure_months` BETWEEN 12 AND 36 AND `firm_net_change_12mo` < 0)) AS `s0_leads`");
    expect(sql).toContain("COUNT(IF((`current_firm_tenure_months` BETWEEN 12 AND 36 AND `firm_net_change_12mo` < 0), CAST(`target` AS INT64), NULL)) AS `s0_labeled`");
    expect(sql).toContain("FROM `proj.ds.leads`\nWHERE COALESCE(`is_wirehouse`, 0) <> 1");
    expect(sql).not.toContain("FILTER");
    const bands = bandSql({column: "num_prior_firms", edges: [1, 3]}, {dialect: "bigquery"});
    expect(bands).toContain("CASE WHEN `num_prior_firms` IS NULL THEN NULL WHEN `num_prior_firms` < 1 THEN 0 WHEN `num_prior_firms` < 3 THEN 1 ELSE 2 END AS `band`");
    expect(bands).toContain("COUNTIF(`num_prior_firms` <> FLOOR(`num_prior_firms`)) AS `fractional`");
  });

  it("one query per band column and per cross; DuckDB accepts all of them", async () => {
    const spec = DEFAULTS.bands[0];
    const sql = bandSql(spec, {population: {from: "2024-01-01"}});
    expect(sql.match(/SELECT/g)).toHaveLength(1);
    expect(sql).toContain(`CASE WHEN "current_firm_tenure_months" IS NULL THEN NULL WHEN "current_firm_tenure_months" < 12 THEN 0 WHEN "current_firm_tenure_months" < 37 THEN 1 WHEN "current_firm_tenure_months" < 49 THEN 2 WHEN "current_firm_tenure_months" < 121 THEN 3 ELSE 4 END AS "band"`);
    for (const q of [sql, crossSql(DEFAULTS.bands[0], DEFAULTS.bands[2]), signalsSql(DEFAULTS.signals, {population: {analysisDate: "2025-01-01", maturityDays: 30}})]) {
      await expect(conn.query(`EXPLAIN ${q}`)).resolves.toBeDefined();
    }
    const queries: string[] = [];
    const counting = {dialect: "duckdb" as const, query: (q: string) => (queries.push(q), conn.query(q))};
    await investigateSignals(counting, DEFAULTS, {columns});
    expect(queries).toHaveLength(1 + DEFAULTS.bands.length);
  });
});

describe("validation", () => {
  const fail = (fn: () => unknown): SignalsError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(SignalsError);
      expect((error as Error).name).toBe("SignalsError");
      return error as SignalsError;
    }
    throw new Error("expected a SignalsError");
  };

  it("accepts the shipped data/signals.json against the fixture's schema", () => {
    expect(parseSignalsConfig(DEFAULTS, columns).signals).toHaveLength(7);
  });

  it("ships the same published values as data/reference/published.json", () => {
    const reference = JSON.parse(readFileSync(join(ROOT, "data", "reference", "published.json"), "utf8")).signals;
    const ours = DEFAULTS.signals.filter((s) => s.id !== "tenure_lt_1y").map((s) => [s.published!.rate, s.published!.lift]);
    expect(ours).toEqual(reference.signals.map((s: {rate: number; lift: number}) => [s.rate, s.lift]));
    expect(DEFAULTS.signals.find((s) => s.id === "tenure_lt_1y")!.published!.rate).toBe(reference.correction.rate);
    expect(DEFAULTS.published!.baseline!.rate).toBe(reference.baseline);
  });

  it("names the signal and condition for an unknown column or a string compared with a number", () => {
    const bad = {
      signals: [
        {id: "typo", label: "x", when: [{column: "current_firm_tenure_month", lt: 12}]},
        {id: "text", label: "x", when: [{column: "num_prior_firms", gte: 1}, {column: "split", lt: 3}]},
        {id: "string_for_number", label: "x", when: [{column: "num_prior_firms", eq: "3"}]},
        {id: "typo", label: "dup", when: []}
      ],
      bands: [{column: "split", edges: [1]}, {column: "num_prior_firms", edges: [3, 1]}]
    };
    const error = fail(() => parseSignalsConfig(bad, columns));
    expect(error.issues).toEqual([
      `signal "typo": condition 1 (current_firm_tenure_month): unknown column "current_firm_tenure_month" (did you mean "current_firm_tenure_months"?)`,
      `signal "text": condition 2 (split): lt compares numbers, but "split" is a string column (VARCHAR)`,
      `signal "string_for_number": condition 1 (num_prior_firms): a number column (BIGINT) compared with a string ("3")`,
      `signal "typo": needs "when": a non-empty list of conditions, got []`,
      `signal id "typo" is used twice; ids must be unique`,
      `bands "split": bands need a numeric column, but "split" is a string column (VARCHAR)`,
      `bands "num_prior_firms": edges must be strictly ascending, but 1 comes after 3`
    ]);
    expect(error.message).toMatch(/^invalid signals \(7 problems\)/);
  });

  it("checks the published baseline the Markdown names as the published lifts' base", () => {
    const base = {signals: [], bands: []};
    for (const published of [{baseline: {rate: 4.24}}, {baseline: {rate: "4%"}}, {baseline: {rate: 0.04, leads: -1}}, "seeds"]) {
      expect(fail(() => parseSignalsConfig({...base, published})).issues).toEqual([`"published" must be {"baseline": {"rate": 0–1, "leads": a whole number}} (the published lifts' base), got ${JSON.stringify(published)}`]);
    }
    expect(parseSignalsConfig({...base, published: {baseline: {rate: 0.05}}}).published).toEqual({baseline: {rate: 0.05}});
    expect(publishedBaseline({baseline: {rate: 0.05, leads: 1200}})).toBe("the published lifts (seeds) are against their 5.00% baseline (1,200 leads)");
    expect(publishedBaseline(undefined)).toBe("the published lifts are against their source's own baseline");
  });

  it("refuses to run a signal that does not fit the table, before any SQL", async () => {
    const error = await signalStats(conn, [{id: "x", label: "x", when: [{column: "nope", eq: 1}]}], {columns}).catch((e) => e);
    expect(error).toBeInstanceOf(SignalsError);
    expect(error.message).toBe(`signal "x": condition 1 (nope): unknown column "nope"`);
    expect(() => compileConditions([{column: "split", gt: 1}], {columns})).toThrow(/lt|gt compares numbers/);
  });

  it("parses band edges typed by an analyst", () => {
    expect(parseEdges("12, 37,49  121")).toEqual([12, 37, 49, 121]);
    expect(parseEdges("−10, -1.5, 0")).toEqual([-10, -1.5, 0]);
    expect(fail(() => parseEdges("12, abc")).message).toBe(`"abc" is not a number; give band starts separated by commas, e.g. 12, 37, 49`);
    expect(fail(() => parseEdges("12, 5")).message).toBe("edges must be strictly ascending, but 5 comes after 12");
    expect(fail(() => parseEdges("12, 12")).message).toMatch(/strictly ascending/);
    expect(fail(() => parseEdges("  ")).message).toMatch(/at least one band start/);
    expect(fail(() => parseEdges("1e999")).message).toMatch(/not a number/);
  });

  it("ranks without the database too", () => {
    const rows = [
      {id: "b", rate: 0.1, labeled: 5},
      {id: "a", rate: null, labeled: 0},
      {id: "c", rate: 0.1, labeled: 9},
      {id: "d", rate: 0.3, labeled: 1}
    ];
    expect(rankSignals(rows).map((r) => r.id)).toEqual(["d", "c", "b", "a"]);
  });
});

// Weight of evidence and information value against hand counts. The fixture's population has
// C = 5 conversions and N = 5 non-conversions among its 10 labeled leads, so a band's shares are
// its counts / 5; a band with no conversions or no non-conversions counts (c + 0.5, n + 0.5).
describe("weight of evidence and information value", () => {
  const band = (column: string) => DEFAULTS.bands.find((b) => b.column === column)!;
  const {log} = Math;

  it("tenure bands: every band's WoE and term by hand, the 0.5 adjustment, missing included", async () => {
    const r = await bandStats(conn, band("current_firm_tenure_months"), {columns});
    const expected: [number, number][] = [
      [log(0.1 / 0.5), 0.4 * log(5)], // < 12: 0 conv / 2 non → 0.5 / 2.5
      [log(0.4 / 0.2), 0.2 * log(2)], // 12–36: 2 / 1
      [log(0.5 / 0.1), 0.4 * log(5)], // 37–48: 2 / 0 → 2.5 / 0.5
      [log(0.1 / 0.3), 0.2 * log(3)], // 49–120: 0 / 1 → 0.5 / 1.5
      [log(0.1 / 0.3), 0.2 * log(3)] // ≥ 121: 0 / 1
    ];
    r.bands.forEach((b, i) => {
      expect(b.woe, b.label).toBeCloseTo(expected[i][0], 12);
      expect(b.iv, b.label).toBeCloseTo(expected[i][1], 12);
    });
    // missing (L06, converted): 1 / 0 → 1.5 / 0.5.
    expect(r.missing.woe).toBeCloseTo(log(3), 12);
    expect(r.missing.iv).toBeCloseTo(0.2 * log(3), 12);
    expect(r.iv).toBeCloseTo(0.8 * log(5) + 0.2 * log(2) + 0.6 * log(3), 12);
    expect(ivStrength(r.iv)).toBe("strong");
  });

  it("an empty band and an unlabeled missing row have no WoE and add nothing", async () => {
    const size = await bandStats(conn, band("firm_rep_count_at_contact"), {columns});
    expect(size.bands.map((b) => b.woe)).toEqual([expect.closeTo(-log(3), 12), expect.closeTo(log(3), 12), 0, 0, null, expect.closeTo(-log(3), 12)]);
    expect(size.bands[4].iv).toBeNull(); // 201–1000: no leads
    expect(size.missing).toMatchObject({woe: null, iv: null}); // L05: no label
    // < 1 and ≥ 1001: 0 / 1 each, 0.2 ln 3; 1–10: 3 / 1, 0.4 ln 3; 11–50, 51–200: 1 / 1, 0.
    expect(size.iv).toBeCloseTo(0.8 * log(3), 12);
    const industry = await bandStats(conn, band("industry_tenure_months"), {columns});
    // < 60: 0 / 1 (L10 unlabeled); 60–120: 2 / 1; 121–180 empty; 181–240: 1 / 2; ≥ 241: 1 / 1; missing L03: 1 / 0.
    expect(industry.bands.map((b) => b.iv)).toEqual([expect.closeTo(0.2 * log(3), 12), expect.closeTo(0.2 * log(2), 12), null, expect.closeTo(0.2 * log(2), 12), 0]);
    expect(industry.bands[3].woe).toBeCloseTo(-log(2), 12);
    expect(industry.missing.woe).toBeCloseTo(log(3), 12);
    expect(industry.iv).toBeCloseTo(0.4 * log(3) + 0.4 * log(2), 12);
  });

  it("a signal's IV is in vs not: 1–3 years tenure holds 2 of 5 conversions and 1 of 5 non-conversions", async () => {
    const result = await signalStats(conn, DEFAULTS.signals, {columns});
    const tenure = result.signals.find((s) => s.id === "tenure_1_3y")!;
    // in: 0.4 / 0.2; not: 0.6 / 0.8.
    expect(tenure.iv).toBeCloseTo(0.2 * log(2) + 0.2 * log(0.8 / 0.6), 12);
    for (const s of result.signals) expect(s.iv, s.id).toBeCloseTo(binaryInformationValue(s, result.population)!, 12);
    // Ranked by IV: highest first, ties by labeled count then id.
    const byIv = rankSignals(result.signals, "iv");
    for (let i = 1; i < byIv.length; ++i) expect(byIv[i - 1].iv!).toBeGreaterThanOrEqual(byIv[i].iv!);
  });

  it("a population with no conversions or no non-conversions has no WoE or IV; strengths at their bounds", async () => {
    expect(evidence({labeled: 3, conversions: 1}, {labeled: 10, conversions: 0})).toEqual({woe: null, iv: null});
    expect(evidence({labeled: 3, conversions: 3}, {labeled: 10, conversions: 10})).toEqual({woe: null, iv: null});
    expect(informationValue([{labeled: 10, conversions: 10}], {labeled: 10, conversions: 10})).toBeNull();
    const none = await signalStats(conn, DEFAULTS.signals, {columns, population: {split: "TEST", from: "2024-05-01", to: "2024-06-30"}});
    // L08 and L11: two labeled non-conversions.
    expect(none.population).toMatchObject({labeled: 2, conversions: 0});
    for (const s of none.signals) expect(s.iv).toBeNull();
    // A group that is the whole population: WoE 0, IV 0.
    expect(evidence({labeled: 10, conversions: 4}, {labeled: 10, conversions: 4})).toEqual({woe: 0, iv: 0});
    expect([0, 0.0199, 0.02, 0.0999, 0.1, 0.3, 0.3001, null].map(ivStrength)).toEqual(["not useful", "not useful", "weak", "weak", "medium", "medium", "strong", null]);
  });
});
