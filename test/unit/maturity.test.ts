// Days to MQL, the 90% window and censoring, on the hand-built backtest table (worked out below),
// cross-checked against DuckDB's own quantile_cont, and the seeds' Phase 0.2 on the default data.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadSource} from "../../loaders/source.js";
import {DEFAULT_ROWS, DEFAULT_SEED} from "../../loaders/synthetic/generate.js";
import {captureWindow, hasMqlDate, histogramQuantile, maturityAnalysis, maturitySql} from "../../src/lib/backtest/maturity.js";
import {describeColumns} from "../../src/lib/data-contract.js";
import {handLeadsSql} from "./backtest-fixture.js";

describe("quantiles of a histogram", () => {
  // values 0 0 1 1 1 2 5 10 30 100 (n = 10), position h = 9q
  const hist = [
    {days: 0, conversions: 2},
    {days: 1, conversions: 3},
    {days: 2, conversions: 1},
    {days: 5, conversions: 1},
    {days: 10, conversions: 1},
    {days: 30, conversions: 1},
    {days: 100, conversions: 1}
  ];
  it("interpolates between order statistics", () => {
    expect(histogramQuantile(hist, 0.5)).toBeCloseTo(1.5, 12); // h 4.5: between 1 and 2
    expect(histogramQuantile(hist, 0.9)).toBeCloseTo(37, 12); // h 8.1: 30 + 0.1 · 70
    expect(histogramQuantile(hist, 0.95)).toBeCloseTo(68.5, 12); // h 8.55
    expect(histogramQuantile(hist, 0.99)).toBeCloseTo(93.7, 12); // h 8.91
    expect(histogramQuantile(hist, 0)).toBe(0);
    expect(histogramQuantile(hist, 1)).toBe(100);
    expect(histogramQuantile([], 0.5)).toBeNull();
  });
  it("the capture window is the smallest day count reaching the share", () => {
    // cumulative 2, 5, 6, 7, 8, 9, 10: 90% = 9 conversions → 30 days; 50% = 5 → 1 day
    expect(captureWindow(hist, 0.9)).toBe(30);
    expect(captureWindow(hist, 0.5)).toBe(1);
    expect(captureWindow([], 0.9)).toBeNull();
  });
});

describe("maturity on the hand-built table", () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
    await db.run(handLeadsSql());
  });
  afterAll(() => db?.close());

  it("days to MQL: 0 0 1 2 3 10 30, one mql_date before contact left out", async () => {
    // j8 2, j1 0, j5 3, f1 10, f2 30 (02-29 → 03-30), m5 0, m2 1; m4 is −2 (before contact)
    const m = (await maturityAnalysis(db, {}, {columns: await describeColumns(db, "leads")}))!;
    expect(m.leads).toBe(18);
    expect(m.conversions).toBe(7);
    expect(m.beforeContact).toBe(1);
    expect(m.distribution).toEqual([
      {days: 0, conversions: 2},
      {days: 1, conversions: 1},
      {days: 2, conversions: 1},
      {days: 3, conversions: 1},
      {days: 10, conversions: 1},
      {days: 30, conversions: 1}
    ]);
    expect(m.mean).toBeCloseTo(46 / 7, 12);
    expect(m.median).toBe(2); // h = 3
    expect(m.p90).toBeCloseTo(18, 12); // h 5.4: 10 + 0.4 · 20
    expect(m.p95).toBeCloseTo(24, 12);
    expect(m.p99).toBeCloseTo(28.8, 12);
    expect(m.captureWindow).toBe(30); // 6.3 of 7 needed: 6 by day 10, 7 by day 30
    expect(m.censored).toBeNull();
    expect(m.windowCapture).toBeNull();
  });

  it("agrees with DuckDB's quantile_cont", async () => {
    const m = (await maturityAnalysis(db))!;
    const [q] = await db.query(
      `SELECT quantile_cont(d, 0.5) AS p50, quantile_cont(d, 0.9) AS p90, quantile_cont(d, 0.95) AS p95, quantile_cont(d, 0.99) AS p99
       FROM (SELECT mql_date - contacted_date AS d FROM leads WHERE mql_date >= contacted_date)`
    );
    expect([m.median, m.p90, m.p95, m.p99].map((v) => +v!.toFixed(9))).toEqual([q.p50, q.p90, q.p95, q.p99].map((v) => +Number(v).toFixed(9)));
  });

  it("what an analysis date and window leave censored", async () => {
    // cutoff 2024-04-04 − 20 = 2024-03-15: m2 (03-31) and m4 (04-01) are later, both with a target
    const m = (await maturityAnalysis(db, {analysisDate: "2024-04-04", maturityDays: 20}))!;
    expect(m.cutoff).toBe("2024-03-15");
    expect(m.censored).toEqual({leads: 2, share: 2 / 18, labeled: 2});
    expect(m.windowCapture).toBeCloseTo(6 / 7, 12); // all but the 30-day one are within 20 days
  });

  it("is skipped without mql_date; BigQuery SQL uses DATE_DIFF(…, DAY)", async () => {
    expect(hasMqlDate([{name: "contacted_date", kind: "date", type: "DATE"}])).toBe(false);
    expect(await maturityAnalysis(db, {}, {columns: [{name: "contacted_date", kind: "date", type: "DATE"}]})).toBeNull();
    expect(maturitySql({analysisDate: "2025-10-31", maturityDays: 43}, "bigquery", "p.d.t")).toContain("DATE_DIFF(`mql_date`, `contacted_date`, DAY)");
    expect(maturitySql({analysisDate: "2025-10-31", maturityDays: 43}, "bigquery", "p.d.t")).toContain("`contacted_date` > DATE '2025-09-18'");
  });
});

describe("maturity on the default synthetic data (seeds' Phase 0.2)", () => {
  // The generator is calibrated to Phase 0.2's quantiles (median 1, p90 43); allow a few days either way.
  it("90% of conversions within about 43 days, median about a day", async () => {
    const db = await NodeConnector.open();
    try {
      await loadSource(db, {kind: "synthetic", rows: DEFAULT_ROWS, seed: DEFAULT_SEED});
      const m = (await maturityAnalysis(db, {analysisDate: "2025-10-31", maturityDays: 43}))!;
      expect(Math.abs(m.captureWindow! - 43)).toBeLessThanOrEqual(3);
      expect(m.median!).toBeLessThanOrEqual(2);
      expect(Math.abs(m.p90! - 43)).toBeLessThanOrEqual(3);
      expect(Math.abs(m.windowCapture! - 0.9)).toBeLessThan(0.02);
      // leads contacted after 2025-09-18 (the last six weeks of the data) are censored
      expect(m.censored!.leads).toBeGreaterThan(0);
      expect(m.censored!.share!).toBeLessThan(0.2);
    } finally {
      db.close();
    }
  });
});
