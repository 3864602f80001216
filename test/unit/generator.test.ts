// The synthetic generator, checked the way an analyst would: write it to Parquet, load it into
// DuckDB, and run the seeds' own tier CASE logic and queries over it. Every expected number below
// is copied from the seeds' published results, never taken from the generator's code.
import {createHash} from "node:crypto";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {arrowToParquet} from "../../loaders/arrow-parquet.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {DEFAULT_ROWS, DEFAULT_SEED, generateLeads} from "../../loaders/synthetic/generate.js";

/** Rows in the seeds' feature table. */
const SEED_ROWS = 39448;

/** `V3.2_12212025` (five tiers), all leads: volume @ conversion rate. */
const V32 = [
  {tier: "TIER_1_PRIME_MOVER", n: 245, rate: 0.1592},
  {tier: "TIER_2_PROVEN_MOVER", n: 1281, rate: 0.0859},
  {tier: "TIER_3_MODERATE_BLEEDER", n: 84, rate: 0.0952},
  {tier: "TIER_4_EXPERIENCED_MOVER", n: 130, rate: 0.1154},
  {tier: "TIER_5_HEAVY_BLEEDER", n: 674, rate: 0.0727},
  {tier: "STANDARD", n: 37034, rate: 0.0344}
];

/** V3.1, all leads (Phase 4.1). */
const V31 = [
  {tier: "TIER_1_PRIME_MOVER", n: 176, rate: 0.142},
  {tier: "TIER_2_MODERATE_BLEEDER", n: 274, rate: 0.0803},
  {tier: "TIER_3_EXPERIENCED_MOVER", n: 402, rate: 0.1045},
  {tier: "TIER_4_HEAVY_BLEEDER", n: 1128, rate: 0.0816},
  {tier: "STANDARD", n: 37468, rate: 0.0351}
];

/** V3.2 (seven tiers) on TRAIN: the V3.2 validation's key metrics (training data). */
const V32_TRAIN = [
  {tier: "TIER_1A_PRIME_MOVER_SMALL", n: 30, rate: 0.2667},
  {tier: "TIER_1B_SMALL_FIRM", n: 104, rate: 0.1442},
  {tier: "TIER_1C_PRIME_MOVER", n: 91, rate: 0.1429},
  {tier: "TIER_2A_PROVEN_MOVER", n: 1155, rate: 0.09},
  {tier: "TIER_2B_MODERATE_BLEEDER", n: 75, rate: 0.0933},
  {tier: "TIER_3_EXPERIENCED_MOVER", n: 117, rate: 0.1197},
  {tier: "TIER_4_HEAVY_BLEEDER", n: 623, rate: 0.0738}
];

/** V3.1 on TRAIN and on TEST (Phase 5.1): the seeds' priority tiers sit mostly in TRAIN. */
const V31_BY_SPLIT = {
  TRAIN: [
    {tier: "TIER_1_PRIME_MOVER", n: 163, rate: 0.135},
    {tier: "TIER_2_MODERATE_BLEEDER", n: 250, rate: 0.084},
    {tier: "TIER_3_EXPERIENCED_MOVER", n: 358, rate: 0.1089},
    {tier: "TIER_4_HEAVY_BLEEDER", n: 1033, rate: 0.0852},
    {tier: "STANDARD", n: 28923, rate: 0.033}
  ],
  TEST: [
    {tier: "TIER_1_PRIME_MOVER", n: 10, rate: 0.2},
    {tier: "TIER_2_MODERATE_BLEEDER", n: 18, rate: 0},
    {tier: "TIER_3_EXPERIENCED_MOVER", n: 29, rate: 0.069},
    {tier: "TIER_4_HEAVY_BLEEDER", n: 66, rate: 0.0303},
    {tier: "STANDARD", n: 6796, rate: 0.0415}
  ]
};

/** Temporal split (Phase 2.1). */
const SPLITS = [
  {split: "TRAIN", n: 30727, rate: 0.0366, from: "2024-02-01", to: "2025-07-03"},
  {split: "GAP", n: 1802, rate: 0.0461, from: "2025-07-06", to: "2025-08-01"},
  {split: "TEST", n: 6919, rate: 0.0416, from: "2025-08-04", to: "2025-10-01"}
];

/** The V3.2 brief's strongest signals, strongest first (3.7×, 3.5×, 3.4×, 2.6×, 2.5×, 2.4×). */
const RANKED_SIGNALS = [
  ["tenure_1_3y", "current_firm_tenure_months BETWEEN 12 AND 36"],
  ["small_firm_1_10", "firm_rep_count_at_contact BETWEEN 1 AND 10"],
  ["short_tenure_bleeding", "current_firm_tenure_months BETWEEN 12 AND 36 AND firm_net_change_12mo < 0"],
  ["moderate_bleeding", "firm_net_change_12mo BETWEEN -10 AND -1"],
  ["prior_firms_3plus", "num_prior_firms >= 3"],
  ["heavy_bleeding", "firm_net_change_12mo < -10"]
] as const;
/** "< 1 year converts at 3.92% (WORSE than baseline!)". */
const TENURE_LT_1Y = "current_firm_tenure_months < 12";

const COUNT_TOLERANCE = 0.15;
const PRIORITY_RATE_TOLERANCE = 0.025;
const STANDARD_RATE_TOLERANCE = 0.005;
const SPLIT_RATE_TOLERANCE = 0.005;

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
 * Asserts tiers against the seeds' volumes (scaled by `scale`) and rates. Rates are checked only
 * for tiers of 50+ leads (the seeds' own threshold for a tier worth reading).
 */
function expectTiers(actual: Map<string, {n: number; rate: number}>, expected: typeof V32, scale: number): void {
  for (const t of expected) {
    const got = actual.get(t.tier) ?? {n: 0, rate: NaN};
    const n = t.n * scale;
    expect(got.n, `${t.tier} volume`).toBeGreaterThanOrEqual(n * (1 - COUNT_TOLERANCE));
    expect(got.n, `${t.tier} volume`).toBeLessThanOrEqual(n * (1 + COUNT_TOLERANCE));
    if (t.n < 50) continue;
    const tolerance = t.tier === "STANDARD" ? STANDARD_RATE_TOLERANCE : PRIORITY_RATE_TOLERANCE;
    expect(Math.abs(got.rate - t.rate), `${t.tier} rate ${got.rate} vs ${t.rate}`).toBeLessThanOrEqual(tolerance);
  }
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

  it("has the seeds' wirehouse share (11,278 of 39,448), at big firms", async () => {
    const r = await one(`SELECT avg(is_wirehouse) AS share,
      min(firm_rep_count_at_contact) FILTER (WHERE is_wirehouse = 1) AS min_wirehouse_reps FROM leads`);
    expect(Math.abs(Number(r.share) - 11278 / SEED_ROWS)).toBeLessThan(0.01);
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
    for (const [i, s] of SPLITS.entries()) {
      expect(Math.abs(Number(rows[i].rate) - s.rate), `${s.split} rate`).toBeLessThanOrEqual(SPLIT_RATE_TOLERANCE);
    }
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
      median(mql_date - contacted_date) AS median_days,
      quantile_cont(mql_date - contacted_date, 0.9) AS p90_days,
      avg(mql_date - contacted_date) AS mean_days
      FROM leads`);
    // No MQL is dated after the seeds' execution date (2025-12-21): the data cannot know the future.
    expect(r).toMatchObject({mismatched: 0, before_contact: 0, after_execution_date: 0});
    // Phase 0.2: median 1.0 day, 90th percentile 43 days, mean 20.5 days.
    expect(Number(r.median_days)).toBeGreaterThanOrEqual(0.5);
    expect(Number(r.median_days)).toBeLessThanOrEqual(2);
    expect(Number(r.p90_days)).toBeGreaterThanOrEqual(38);
    expect(Number(r.p90_days)).toBeLessThanOrEqual(48);
    expect(Number(r.mean_days)).toBeGreaterThan(14);
    expect(Number(r.mean_days)).toBeLessThan(27);
  });
});

describe("synthetic leads: calibration to the seeds' published tables", () => {
  it("reproduces V3.2_12212025 (five tiers) over all leads", async () => {
    const tiers = await tierTable("leads", V32_CASE);
    expect([...tiers.keys()].sort()).toEqual(V32.map((t) => t.tier).sort());
    expectTiers(tiers, V32, 1);
  });

  it("reproduces V3.1 over all leads", async () => {
    const tiers = await tierTable("leads", V31_CASE);
    expect([...tiers.keys()].sort()).toEqual(V31.map((t) => t.tier).sort());
    expectTiers(tiers, V31, 1);
  });

  it("reproduces the V3.2 (seven tiers) validation on TRAIN", async () => {
    expectTiers(await tierTable("leads", V32_SEVEN_CASE, "split = 'TRAIN'"), V32_TRAIN, 1);
  });

  it("reproduces V3.1 on TRAIN and TEST (Phase 5.1), priority tiers concentrated in TRAIN", async () => {
    expectTiers(await tierTable("leads", V31_CASE, "split = 'TRAIN'"), V31_BY_SPLIT.TRAIN, 1);
    expectTiers(await tierTable("leads", V31_CASE, "split = 'TEST'"), V31_BY_SPLIT.TEST, 1);
  });

  it("ranks the signals as the V3.2 brief does, and < 1 year tenure converts below baseline", async () => {
    const population = Number((await one(`SELECT avg(target) AS p FROM leads`)).p);
    expect(Math.abs(population - 0.0379)).toBeLessThan(0.001); // 1,495 of 39,448 (Phase 1.1)
    const rates: number[] = [];
    for (const [id, where] of RANKED_SIGNALS) {
      const r = await one(`SELECT count(*) AS n, avg(target) AS rate FROM leads WHERE ${where}`);
      expect(Number(r.n), `${id} volume`).toBeGreaterThan(100);
      rates.push(Number(r.rate));
    }
    for (let i = 1; i < rates.length; ++i) {
      expect(rates[i], `${RANKED_SIGNALS[i][0]} below ${RANKED_SIGNALS[i - 1][0]}`).toBeLessThan(rates[i - 1]);
    }
    // Every one of them is a real signal (the weakest is ~2.4×).
    expect(rates[rates.length - 1] / population).toBeGreaterThan(2);
    const lt1y = Number((await one(`SELECT avg(target) AS rate FROM leads WHERE ${TENURE_LT_1Y}`)).rate);
    expect(lt1y).toBeLessThan(population);
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
      expect(Math.abs(Number(got[i].rate) - s.rate), `${s.split} rate`).toBeLessThanOrEqual(SPLIT_RATE_TOLERANCE);
    }
  });

  it("keeps tier shares and rates", async () => {
    expectTiers(await tierTable("leads200k", V32_CASE), V32, rows / SEED_ROWS);
    expectTiers(await tierTable("leads200k", V31_CASE), V31, rows / SEED_ROWS);
    expectTiers(await tierTable("leads200k", V32_SEVEN_CASE, "split = 'TRAIN'"), V32_TRAIN, rows / SEED_ROWS);
  });

  it("keeps lead ids unique", async () => {
    expect(await one(`SELECT count(DISTINCT lead_id) AS ids, max(lead_id) AS last FROM leads200k`)).toEqual({
      ids: rows,
      last: "L0200000"
    });
  });
});
