// The synthetic generator, checked the way an analyst would: write it to Parquet, load it into
// DuckDB, and run the seeds' own tier CASE logic and queries over it. Every expected number below
// is copied from the seeds' published results, never taken from the generator's code.
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {arrowToParquet} from "../../loaders/arrow-parquet.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {DEFAULT_ROWS, DEFAULT_SEED, generateLeads} from "../../loaders/synthetic/generate.js";

/** Rows in the seeds' feature table. */
const SEED_ROWS = 39448;

/**
 * A published tier row: volume, conversion rate as printed (its decimals are the precision checked)
 * and lift as printed, against the baseline its table names.
 */
interface Published {
  tier: string;
  n: number;
  rate: string;
  lift?: string;
}

/**
 * The baselines the seeds' lifts divide by are printed constants: the V3.2 validation query reads
 * `ROUND(AVG(CAST(target AS FLOAT64)) / 0.0366, 2) as lift_vs_baseline -- 3.66% training baseline`,
 * Phase 4.1's "Actual Lift" is over "Baseline Conversion Rate (STANDARD): 3.51%", and the
 * consolidated table's over its STANDARD row's 3.44% (1.00x).
 */
const V32_BASELINE = 0.0344;
const V31_BASELINE = 0.0351;
const V32_TRAIN_BASELINE = 0.0366;

/** `V3.2_12212025` (five tiers), all leads ("Tier Summary"); lift against STANDARD's 3.44% (its 1.00x row). */
const V32: Published[] = [
  {tier: "TIER_1_PRIME_MOVER", n: 245, rate: "15.92%", lift: "4.63"},
  {tier: "TIER_2_PROVEN_MOVER", n: 1281, rate: "8.59%", lift: "2.50"},
  {tier: "TIER_3_MODERATE_BLEEDER", n: 84, rate: "9.52%", lift: "2.77"},
  {tier: "TIER_4_EXPERIENCED_MOVER", n: 130, rate: "11.54%", lift: "3.35"},
  {tier: "TIER_5_HEAVY_BLEEDER", n: 674, rate: "7.27%", lift: "2.11"},
  {tier: "STANDARD", n: 37034, rate: "3.44%", lift: "1.00"}
];

/** V3.1, all leads (Phase 4.1 "Key Metrics"); "Actual Lift" against the STANDARD baseline, 3.51%. */
const V31: Published[] = [
  {tier: "TIER_1_PRIME_MOVER", n: 176, rate: "14.2%", lift: "4.05"},
  {tier: "TIER_2_MODERATE_BLEEDER", n: 274, rate: "8.03%", lift: "2.29"},
  {tier: "TIER_3_EXPERIENCED_MOVER", n: 402, rate: "10.45%", lift: "2.98"},
  {tier: "TIER_4_HEAVY_BLEEDER", n: 1128, rate: "8.16%", lift: "2.32"},
  {tier: "STANDARD", n: 37468, rate: "3.51%"}
];

/** V3.2 (seven tiers) on TRAIN: the V3.2 validation's key metrics; "Actual Lift" against TRAIN's 3.66%. */
const V32_TRAIN: Published[] = [
  {tier: "TIER_1A_PRIME_MOVER_SMALL", n: 30, rate: "26.67%", lift: "7.29"},
  {tier: "TIER_1B_SMALL_FIRM", n: 104, rate: "14.42%", lift: "3.94"},
  {tier: "TIER_1C_PRIME_MOVER", n: 91, rate: "14.29%", lift: "3.90"},
  {tier: "TIER_2A_PROVEN_MOVER", n: 1155, rate: "9.00%", lift: "2.46"},
  {tier: "TIER_2B_MODERATE_BLEEDER", n: 75, rate: "9.33%", lift: "2.55"},
  {tier: "TIER_3_EXPERIENCED_MOVER", n: 117, rate: "11.97%", lift: "3.27"},
  {tier: "TIER_4_HEAVY_BLEEDER", n: 623, rate: "7.38%", lift: "2.02"}
];

/**
 * V3.1 on TRAIN and on TEST (Phase 5.1 "Key Metrics"; "Actual Lift" against the split's rate): the
 * seeds' priority tiers sit mostly in TRAIN.
 */
const V31_BY_SPLIT: Record<"TRAIN" | "TEST", Published[]> = {
  TRAIN: [
    {tier: "TIER_1_PRIME_MOVER", n: 163, rate: "13.5%", lift: "3.69"},
    {tier: "TIER_2_MODERATE_BLEEDER", n: 250, rate: "8.4%", lift: "2.30"},
    {tier: "TIER_3_EXPERIENCED_MOVER", n: 358, rate: "10.89%", lift: "2.98"},
    {tier: "TIER_4_HEAVY_BLEEDER", n: 1033, rate: "8.52%", lift: "2.33"},
    {tier: "STANDARD", n: 28923, rate: "3.3%", lift: "0.90"}
  ],
  TEST: [
    {tier: "TIER_1_PRIME_MOVER", n: 10, rate: "20.0%", lift: "4.80"},
    {tier: "TIER_2_MODERATE_BLEEDER", n: 18, rate: "0.0%", lift: "0.00"},
    {tier: "TIER_3_EXPERIENCED_MOVER", n: 29, rate: "6.9%", lift: "1.66"},
    {tier: "TIER_4_HEAVY_BLEEDER", n: 66, rate: "3.03%", lift: "0.73"},
    {tier: "STANDARD", n: 6796, rate: "4.15%", lift: "1.00"}
  ]
};

/** Temporal split (Phase 2.1). */
const SPLITS = [
  {split: "TRAIN", n: 30727, rate: "3.66%", from: "2024-02-01", to: "2025-07-03"},
  {split: "GAP", n: 1802, rate: "4.61%", from: "2025-07-06", to: "2025-08-01"},
  {split: "TEST", n: 6919, rate: "4.16%", from: "2025-08-04", to: "2025-10-01"}
];

/**
 * V3.1's backtest: each period's Tier 1 in the test window (Phase BACKTEST-COMPILE "Key Metrics"),
 * lift against all leads in the window; and across the periods average 5.12x, minimum 4.65x,
 * maximum 5.86x, standard deviation 0.57x. The windows are data/periods.json's.
 */
const BACKTEST = [
  {name: "H1_2024", n: 67, rate: "22.39%", lift: 5.86},
  {name: "Q1Q2_2024", n: 36, rate: "16.67%", lift: 4.65},
  {name: "Q2Q3_2024", n: 21, rate: "19.05%", lift: 5.25},
  {name: "Full_2024", n: 48, rate: "20.83%", lift: 4.7}
];
const BACKTEST_SUMMARY = {mean: 5.12, min: 4.65, max: 5.86, sd: 0.57};
/**
 * Whole leads cannot hit every printed lift: H1_2024's 15 of 67 against 10,928 leads in its window
 * is 5.853x with 418 conversions there and 5.867x with 417, so no count prints 5.86 — the seeds'
 * lifts come from their own unrounded figures. One hundredth either way is the best possible.
 */
const LIFT_ROUNDING = 0.0100001;

/** The V3.2 brief's strongest signals, strongest first (3.7×, 3.5×, 3.4×, 2.6×, 2.5×, 2.4×). */
const RANKED_SIGNALS = [
  ["tenure_1_3y", "current_firm_tenure_months BETWEEN 12 AND 36", "3.7"],
  ["small_firm_1_10", "firm_rep_count_at_contact BETWEEN 1 AND 10", "3.5"],
  ["short_tenure_bleeding", "current_firm_tenure_months BETWEEN 12 AND 36 AND firm_net_change_12mo < 0", "3.4"],
  ["moderate_bleeding", "firm_net_change_12mo BETWEEN -10 AND -1", "2.6"],
  ["prior_firms_3plus", "num_prior_firms >= 3", "2.5"],
  ["heavy_bleeding", "firm_net_change_12mo < -10", "2.4"]
] as const;
/** "< 1 year converts at 3.92% (WORSE than baseline!)". */
const TENURE_LT_1Y = "current_firm_tenure_months < 12";

/**
 * At other sizes the seeds' counts are scaled and rounded, and tiers of a few dozen leads get only
 * a few conversions, so the scaled tables are checked loosely: volumes within 15%, rates within
 * 2.5 points (half a point for STANDARD and the splits), rates only for tiers of 50+ leads (the
 * seeds' own threshold for a tier worth reading). The default table is checked exactly.
 */
const COUNT_TOLERANCE = 0.15;
const PRIORITY_RATE_TOLERANCE = 0.025;
const STANDARD_RATE_TOLERANCE = 0.005;
const SPLIT_RATE_TOLERANCE = 0.005;

/** A rate printed as the seeds print it: a percentage with as many decimals as `like`. */
function asPublished(rate: number, like: string): string {
  const decimals = like.includes(".") ? like.length - like.indexOf(".") - 2 : 0;
  return `${(rate * 100).toFixed(decimals)}%`;
}

const V32_CASE = `CASE
  WHEN (current_firm_tenure_months BETWEEN 12 AND 36 AND industry_tenure_months BETWEEN 60 AND 180
        AND firm_net_change_12mo < 0 AND firm_rep_count_at_contact <= 50 AND is_wirehouse = 0)
    OR (current_firm_tenure_months BETWEEN 12 AND 36 AND firm_rep_count_at_contact <= 10 AND is_wirehouse = 0)
    OR (current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180
        AND firm_net_change_12mo < 0 AND is_wirehouse = 0)
    THEN 'TIER_1_PRIME_MOVER'
  WHEN num_prior_firms >= 3 AND industry_tenure_months >= 60 AND is_wirehouse = 0 THEN 'TIER_2_PROVEN_MOVER'
  WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'TIER_3_MODERATE_BLEEDER'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'TIER_4_EXPERIENCED_MOVER'
  WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'TIER_5_HEAVY_BLEEDER'
  ELSE 'STANDARD'
END`;

const V32_SEVEN_CASE = `CASE
  WHEN current_firm_tenure_months BETWEEN 12 AND 36 AND industry_tenure_months BETWEEN 60 AND 180
       AND firm_net_change_12mo < 0 AND firm_rep_count_at_contact <= 50 AND is_wirehouse = 0
    THEN 'TIER_1A_PRIME_MOVER_SMALL'
  WHEN current_firm_tenure_months BETWEEN 12 AND 36 AND firm_rep_count_at_contact <= 10 AND is_wirehouse = 0
    THEN 'TIER_1B_SMALL_FIRM'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180
       AND firm_net_change_12mo < 0 AND is_wirehouse = 0 THEN 'TIER_1C_PRIME_MOVER'
  WHEN num_prior_firms >= 3 AND industry_tenure_months >= 60 AND is_wirehouse = 0 THEN 'TIER_2A_PROVEN_MOVER'
  WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'TIER_2B_MODERATE_BLEEDER'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'TIER_3_EXPERIENCED_MOVER'
  WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'TIER_4_HEAVY_BLEEDER'
  ELSE 'STANDARD'
END`;

const V31_CASE = `CASE
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180
       AND firm_net_change_12mo != 0 AND is_wirehouse = 0 THEN 'TIER_1_PRIME_MOVER'
  WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'TIER_2_MODERATE_BLEEDER'
  WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'TIER_3_EXPERIENCED_MOVER'
  WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'TIER_4_HEAVY_BLEEDER'
  ELSE 'STANDARD'
END`;

const dir = mkdtempSync(join(tmpdir(), "tierlab-generator-"));
let conn: NodeConnector;
let defaultParquet: Uint8Array;

/** Writes a table to Parquet under the temp dir and loads it into DuckDB as `name`. */
async function load(name: string, parquet: Uint8Array): Promise<void> {
  const path = join(dir, `${name}.parquet`);
  writeFileSync(path, parquet);
  await conn.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${path}')`);
}

async function one(sql: string): Promise<Record<string, unknown>> {
  const rows = await conn.query(sql);
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function tierTable(
  table: string,
  tierCase: string,
  where = "TRUE"
): Promise<Map<string, {n: number; rate: number}>> {
  const rows = await conn.query(
    `SELECT ${tierCase} AS tier, count(*) AS n, avg(target) AS rate FROM ${table} WHERE ${where} GROUP BY ALL`
  );
  return new Map(rows.map((r) => [String(r.tier), {n: Number(r.n), rate: Number(r.rate)}]));
}

/**
 * Asserts a published tier table exactly: every tier's volume, its rate to the published decimals,
 * and its lift (rate / `baseline`, the rate the table's lifts are against) to two decimals.
 */
function expectExactTiers(actual: Map<string, {n: number; rate: number}>, expected: Published[], baseline: number): void {
  // Every published tier and nothing else (STANDARD, the fallback, even where the table leaves it out).
  const tiers = new Set([...expected.map((t) => t.tier), "STANDARD"]);
  expect([...actual.keys()].sort()).toEqual([...tiers].sort());
  for (const t of expected) {
    const got = actual.get(t.tier)!;
    expect(got.n, `${t.tier} volume`).toBe(t.n);
    expect(asPublished(got.rate, t.rate), `${t.tier} rate ${got.rate}`).toBe(t.rate);
    if (t.lift) expect((got.rate / baseline).toFixed(2), `${t.tier} lift`).toBe(t.lift);
  }
}

/** Asserts a table at another size loosely (see COUNT_TOLERANCE): volumes scaled by `scale`. */
function expectScaledTiers(actual: Map<string, {n: number; rate: number}>, expected: Published[], scale: number): void {
  for (const t of expected) {
    const got = actual.get(t.tier) ?? {n: 0, rate: NaN};
    const n = t.n * scale;
    expect(got.n, `${t.tier} volume`).toBeGreaterThanOrEqual(n * (1 - COUNT_TOLERANCE));
    expect(got.n, `${t.tier} volume`).toBeLessThanOrEqual(n * (1 + COUNT_TOLERANCE));
    if (t.n < 50) continue;
    const tolerance = t.tier === "STANDARD" ? STANDARD_RATE_TOLERANCE : PRIORITY_RATE_TOLERANCE;
    const rate = parseFloat(t.rate) / 100;
    expect(Math.abs(got.rate - rate), `${t.tier} rate ${got.rate} vs ${rate}`).toBeLessThanOrEqual(tolerance);
  }
}

/** The rate of all leads of `table` matching `where`. */
async function rateOf(table: string, where = "TRUE"): Promise<number> {
  return Number((await one(`SELECT avg(target) AS rate FROM ${table} WHERE ${where}`)).rate);
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  conn = await NodeConnector.open();
  defaultParquet = arrowToParquet(generateLeads());
  await load("leads", defaultParquet);
});

afterAll(() => {
  conn?.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("synthetic leads: shape", () => {
  it("has the seeds' size by default", async () => {
    expect(DEFAULT_ROWS).toBe(SEED_ROWS);
    expect(DEFAULT_SEED).toBe(42);
    expect(await one(`SELECT count(*) AS n FROM leads`)).toEqual({n: SEED_ROWS});
  });

  it("has the data contract's columns with these DuckDB types", async () => {
    const rows = await conn.query(`DESCRIBE leads`);
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]))).toEqual({
      lead_id: "VARCHAR",
      advisor_crd: "INTEGER",
      contacted_date: "DATE",
      mql_date: "DATE",
      target: "TINYINT",
      split: "VARCHAR",
      current_firm_tenure_months: "SMALLINT",
      industry_tenure_months: "SMALLINT",
      firm_net_change_12mo: "SMALLINT",
      firm_rep_count_at_contact: "INTEGER",
      num_prior_firms: "SMALLINT",
      is_wirehouse: "TINYINT",
      pit_moves_3yr: "SMALLINT",
      pit_restlessness_ratio: "DOUBLE",
      lead_source: "VARCHAR"
    });
  });

  it("has unique lead ids L0000001.. and 7-digit CRDs", async () => {
    expect(
      await one(`SELECT count(DISTINCT lead_id) AS ids, min(lead_id) AS first, max(lead_id) AS last,
        count(*) FILTER (WHERE NOT regexp_full_match(lead_id, 'L[0-9]{7}')) AS malformed,
        count(*) FILTER (WHERE advisor_crd NOT BETWEEN 1000000 AND 9999999) AS bad_crd,
        count(DISTINCT advisor_crd) AS crds FROM leads`)
    ).toEqual({ids: SEED_ROWS, first: "L0000001", last: "L0039448", malformed: 0, bad_crd: 0, crds: SEED_ROWS});
  });

  it("leaves NULLs only in the nullable features, in plausible shares", async () => {
    const r = await one(`SELECT
      avg((current_firm_tenure_months IS NULL)::INT) AS tenure,
      avg((industry_tenure_months IS NULL)::INT) AS industry,
      avg((num_prior_firms IS NULL)::INT) AS prior,
      count(*) FILTER (WHERE lead_id IS NULL OR advisor_crd IS NULL OR contacted_date IS NULL OR target IS NULL
        OR split IS NULL OR firm_net_change_12mo IS NULL OR firm_rep_count_at_contact IS NULL OR is_wirehouse IS NULL
        OR pit_moves_3yr IS NULL OR pit_restlessness_ratio IS NULL OR lead_source IS NULL) AS other
      FROM leads`);
    expect(Number(r.tenure)).toBeGreaterThan(0.035);
    expect(Number(r.tenure)).toBeLessThan(0.065);
    expect(Number(r.industry)).toBeGreaterThan(0.02);
    expect(Number(r.industry)).toBeLessThan(0.04);
    expect(Number(r.prior)).toBeGreaterThan(0.035);
    expect(Number(r.prior)).toBeLessThan(0.065);
    expect(r.other).toBe(0);
  });

  it("keeps features in range and consistent with each other", async () => {
    const r = await one(`SELECT
      count(*) FILTER (WHERE current_firm_tenure_months > industry_tenure_months) AS tenure_over_industry,
      count(*) FILTER (WHERE current_firm_tenure_months < 0 OR industry_tenure_months < 0
        OR num_prior_firms < 0) AS negative,
      count(*) FILTER (WHERE firm_rep_count_at_contact < 1) AS no_reps,
      count(*) FILTER (WHERE pit_moves_3yr NOT BETWEEN 0 AND 6) AS bad_moves,
      min(pit_restlessness_ratio) AS min_restlessness,
      avg(pit_restlessness_ratio) AS mean_restlessness,
      count(*) FILTER (WHERE target NOT IN (0, 1) OR is_wirehouse NOT IN (0, 1)) AS bad_flags,
      count(DISTINCT lead_source) AS sources
      FROM leads`);
    expect(r).toMatchObject({tenure_over_industry: 0, negative: 0, no_reps: 0, bad_moves: 0, bad_flags: 0});
    expect(Number(r.min_restlessness)).toBeGreaterThanOrEqual(0);
    expect(Number(r.mean_restlessness)).toBeGreaterThan(1.0);
    expect(Number(r.mean_restlessness)).toBeLessThan(1.4);
    expect(Number(r.sources)).toBeGreaterThanOrEqual(3);
  });

  it("has the seeds' wirehouse count (11,278 of 39,448, Phase 4.1), at big firms", async () => {
    const r = await one(`SELECT sum(is_wirehouse) AS wirehouse,
      min(firm_rep_count_at_contact) FILTER (WHERE is_wirehouse = 1) AS min_wirehouse_reps FROM leads`);
    expect(Number(r.wirehouse)).toBe(11278);
    expect(Number(r.min_wirehouse_reps)).toBeGreaterThanOrEqual(1000);
  });

  it("has plausible joint distributions", async () => {
    const r = await one(`SELECT
      quantile_disc(firm_rep_count_at_contact, 0.1) AS p10_reps,
      quantile_disc(firm_rep_count_at_contact, 0.9) AS p90_reps,
      avg(num_prior_firms) FILTER (WHERE industry_tenure_months >= 240) AS veteran_prior,
      avg(num_prior_firms) FILTER (WHERE industry_tenure_months < 60) AS junior_prior,
      avg((firm_net_change_12mo BETWEEN -2 AND 2)::INT) AS near_zero_change,
      avg((firm_net_change_12mo < 0)::INT) AS bleeding,
      avg(pit_moves_3yr) FILTER (WHERE current_firm_tenure_months < 36) AS recent_moves,
      avg(pit_moves_3yr) FILTER (WHERE current_firm_tenure_months >= 36) AS settled_moves
      FROM leads`);
    // Heavy-tailed firm sizes: advisors' firms span orders of magnitude, from solo shops to wirehouses.
    expect(Number(r.p10_reps)).toBeLessThan(100);
    expect(Number(r.p90_reps)).toBeGreaterThan(5000);
    expect(Number(r.veteran_prior)).toBeGreaterThan(Number(r.junior_prior));
    expect(Number(r.near_zero_change)).toBeGreaterThan(0.5);
    expect(Number(r.bleeding)).toBeGreaterThan(0.02);
    expect(Number(r.bleeding)).toBeLessThan(0.15);
    expect(Number(r.recent_moves)).toBeGreaterThan(Number(r.settled_moves));
  });
});

describe("synthetic leads: splits and dates", () => {
  it("has the seeds' split sizes, date windows and conversion rates", async () => {
    const rows = await conn.query(`SELECT split, count(*) AS n, avg(target) AS rate,
      strftime(min(contacted_date), '%Y-%m-%d') AS "from", strftime(max(contacted_date), '%Y-%m-%d') AS "to"
      FROM leads GROUP BY split ORDER BY min(contacted_date)`);
    expect(rows.map((r) => ({split: r.split, n: r.n, from: r.from, to: r.to}))).toEqual(
      SPLITS.map(({split, n, from, to}) => ({split, n, from, to}))
    );
    for (const [i, s] of SPLITS.entries()) expect(asPublished(Number(rows[i].rate), s.rate), `${s.split} rate`).toBe(s.rate);
  });

  it("has the seeds' 1,495 converted leads, 3.79% (Phase 1.1)", async () => {
    const r = await one(`SELECT sum(target) AS positives, avg(target) AS rate FROM leads`);
    expect(Number(r.positives)).toBe(1495);
    expect(asPublished(Number(r.rate), "3.79%")).toBe("3.79%");
  });

  it("numbers leads in contact order", async () => {
    const r = await one(`SELECT count(*) AS out_of_order FROM (
      SELECT contacted_date < lag(contacted_date) OVER (ORDER BY lead_id) AS back FROM leads) WHERE back`);
    expect(r.out_of_order).toBe(0);
  });

  it("dates an MQL exactly for converted leads, with the seeds' days-to-MQL", async () => {
    const r = await one(`SELECT
      count(*) FILTER (WHERE (mql_date IS NULL) != (target = 0)) AS mismatched,
      count(*) FILTER (WHERE mql_date < contacted_date) AS before_contact,
      count(*) FILTER (WHERE mql_date > DATE '2025-12-21') AS after_execution_date,
      quantile_cont(mql_date - contacted_date, 0.5) AS p50,
      quantile_cont(mql_date - contacted_date, 0.9) AS p90,
      quantile_cont(mql_date - contacted_date, 0.95) AS p95,
      quantile_cont(mql_date - contacted_date, 0.99) AS p99,
      avg(mql_date - contacted_date) AS mean_days
      FROM leads`);
    // No MQL is dated after the seeds' execution date (2025-12-21): the data cannot know the future.
    expect(r).toMatchObject({mismatched: 0, before_contact: 0, after_execution_date: 0});
    // Phase 0.2: median 1.0 day and 90th percentile 43.0 days, exactly as printed (percentiles
    // interpolated between whole days, as pandas and quantile_cont do).
    const [median, p90, p95, p99] = [r.p50, r.p90, r.p95, r.p99].map(Number);
    expect(median.toFixed(1)).toBe("1.0");
    expect(p90.toFixed(1)).toBe("43.0");
    // The mean (20.5), the 95th (121.9) and the 99th percentile (342.7) only approximately: delays
    // are whole days, and a delay that would date an MQL after the export date is swapped for a
    // shorter one (right-censoring), which thins the long tail the mean and top percentiles live in.
    expect(Math.abs(Number(r.mean_days) - 20.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(p95 - 121.9)).toBeLessThanOrEqual(2);
    expect(Math.abs(p99 - 342.7)).toBeLessThanOrEqual(8);
  });
});

describe("synthetic leads: calibration to the seeds' published tables", () => {
  it("reproduces V3.2_12212025 (five tiers) over all leads", async () => {
    expectExactTiers(await tierTable("leads", V32_CASE), V32, V32_BASELINE);
  });

  it("reproduces V3.1 over all leads", async () => {
    expectExactTiers(await tierTable("leads", V31_CASE), V31, V31_BASELINE);
  });

  it("reproduces the V3.2 (seven tiers) validation on TRAIN, Tier 1A's 26.67% included", async () => {
    expectExactTiers(await tierTable("leads", V32_SEVEN_CASE, "split = 'TRAIN'"), V32_TRAIN, V32_TRAIN_BASELINE);
  });

  it("reproduces V3.1 on TRAIN and TEST (Phase 5.1), priority tiers concentrated in TRAIN", async () => {
    for (const split of ["TRAIN", "TEST"] as const) {
      const where = `split = '${split}'`;
      expectExactTiers(await tierTable("leads", V31_CASE, where), V31_BY_SPLIT[split], await rateOf("leads", where));
    }
  });

  it("reproduces V3.1's backtest: Tier 1 in each 2024 test window (Phase BACKTEST-COMPILE)", async () => {
    const periods = JSON.parse(readFileSync(join(import.meta.dirname, "../../data/periods.json"), "utf8")).periods as {
      name: string;
      test: [string, string];
    }[];
    expect(periods.map((p) => p.name)).toEqual(BACKTEST.map((b) => b.name));
    const lifts: number[] = [];
    for (const [i, p] of periods.entries()) {
      const r = await one(`SELECT
        count(*) FILTER (WHERE tier = 'TIER_1_PRIME_MOVER') AS n,
        avg(target) FILTER (WHERE tier = 'TIER_1_PRIME_MOVER') AS rate,
        avg(target) AS window_rate
        FROM (SELECT ${V31_CASE} AS tier, target FROM leads
              WHERE contacted_date BETWEEN DATE '${p.test[0]}' AND DATE '${p.test[1]}')`);
      const expected = BACKTEST[i];
      expect(Number(r.n), `${p.name} Tier 1 volume`).toBe(expected.n);
      expect(asPublished(Number(r.rate), expected.rate), `${p.name} Tier 1 rate`).toBe(expected.rate);
      const lift = Number(r.rate) / Number(r.window_rate);
      expect(Math.abs(lift - expected.lift), `${p.name} lift ${lift}`).toBeLessThanOrEqual(LIFT_ROUNDING);
      lifts.push(lift);
    }
    const mean = lifts.reduce((a, b) => a + b, 0) / lifts.length;
    const sd = Math.sqrt(lifts.reduce((a, b) => a + (b - mean) ** 2, 0) / (lifts.length - 1));
    expect(mean.toFixed(2)).toBe(BACKTEST_SUMMARY.mean.toFixed(2));
    expect(Math.abs(Math.min(...lifts) - BACKTEST_SUMMARY.min)).toBeLessThanOrEqual(LIFT_ROUNDING);
    expect(Math.abs(Math.max(...lifts) - BACKTEST_SUMMARY.max)).toBeLessThanOrEqual(LIFT_ROUNDING);
    expect(Math.abs(sd - BACKTEST_SUMMARY.sd)).toBeLessThanOrEqual(LIFT_ROUNDING);
  });

  it("ranks the signals as the V3.2 brief does, and < 1 year tenure converts below baseline", async () => {
    const population = await rateOf("leads");
    const rates: number[] = [];
    for (const [id, where] of RANKED_SIGNALS) {
      const r = await one(`SELECT count(*) AS n, avg(target) AS rate FROM leads WHERE ${where}`);
      expect(Number(r.n), `${id} volume`).toBeGreaterThan(100);
      rates.push(Number(r.rate));
    }
    for (let i = 1; i < rates.length; ++i) {
      expect(rates[i], `${RANKED_SIGNALS[i][0]} below ${RANKED_SIGNALS[i - 1][0]}`).toBeLessThan(rates[i - 1]);
    }
    // Each lift as the brief prints it (one decimal). The brief's lifts are against its own
    // population (48,472 leads, 4.24%); the synthetic data keeps the lifts against its own rate.
    expect(rates.map((r) => (r / population).toFixed(1))).toEqual(RANKED_SIGNALS.map(([, , lift]) => lift));
    // "< 1 year converts at 3.92%" against the 4.24% baseline: 0.92x, below baseline.
    const lt1y = await rateOf("leads", TENURE_LT_1Y);
    expect((lt1y / population).toFixed(2)).toBe((3.92 / 4.24).toFixed(2));
  });
});

describe("synthetic leads: determinism", () => {
  it("gives the same bytes for the same seed and different data for another", () => {
    expect(sha256(arrowToParquet(generateLeads({seed: DEFAULT_SEED, rows: DEFAULT_ROWS})))).toBe(
      sha256(defaultParquet)
    );
    expect(sha256(arrowToParquet(generateLeads({seed: 43})))).not.toBe(sha256(defaultParquet));
  });

  it("rejects a non-integer size or seed", () => {
    expect(() => generateLeads({rows: 0})).toThrow(/rows/);
    expect(() => generateLeads({rows: 10.5})).toThrow(/rows/);
    expect(() => generateLeads({seed: 0.5})).toThrow(/seed/);
  });
});

describe("synthetic leads: scaling", () => {
  const rows = 200_000;
  beforeAll(async () => {
    await load("leads200k", arrowToParquet(generateLeads({rows})));
  });

  it("scales split sizes exactly (GAP and TEST rounded, the rest TRAIN)", async () => {
    const gap = Math.round((1802 * rows) / SEED_ROWS);
    const test = Math.round((6919 * rows) / SEED_ROWS);
    const got = await conn.query(
      `SELECT split, count(*) AS n, avg(target) AS rate FROM leads200k GROUP BY split ORDER BY min(contacted_date)`
    );
    expect(got.map((r) => [r.split, r.n])).toEqual([
      ["TRAIN", rows - gap - test],
      ["GAP", gap],
      ["TEST", test]
    ]);
    for (const [i, s] of SPLITS.entries()) {
      const rate = parseFloat(s.rate) / 100;
      expect(Math.abs(Number(got[i].rate) - rate), `${s.split} rate`).toBeLessThanOrEqual(SPLIT_RATE_TOLERANCE);
    }
  });

  it("keeps tier shares and rates", async () => {
    expectScaledTiers(await tierTable("leads200k", V32_CASE), V32, rows / SEED_ROWS);
    expectScaledTiers(await tierTable("leads200k", V31_CASE), V31, rows / SEED_ROWS);
    expectScaledTiers(await tierTable("leads200k", V32_SEVEN_CASE, "split = 'TRAIN'"), V32_TRAIN, rows / SEED_ROWS);
  });

  it("keeps lead ids unique", async () => {
    expect(await one(`SELECT count(DISTINCT lead_id) AS ids, max(lead_id) AS last FROM leads200k`)).toEqual({
      ids: rows,
      last: "L0200000"
    });
  });
});
