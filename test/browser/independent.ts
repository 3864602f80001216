// An oracle for the pages that shares nothing with them: counts from the test's own SQL on the
// published Parquet file (a second DuckDB, native), Wilson intervals from the closed form, and
// numbers written out with Intl.NumberFormat (decimal rounding) instead of src/lib/format.ts (which
// uses toFixed), so a formatter bug on a page shows as a difference.
import type {Page} from "playwright-core";
import {NodeConnector} from "../../loaders/node-duckdb.js";

/** Rows of `sql`, where `leads` is the published Parquet file `file`. */
export async function queryParquet(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const conn = await NodeConnector.open({threads: 1});
  try {
    await conn.run(`CREATE VIEW leads AS SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
    return (await conn.query(sql)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
  } finally {
    conn.close();
  }
}

const fixed = (digits: number) => new Intl.NumberFormat("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false});

/** 39448 → "39,448". */
export const count = (n: unknown): string => new Intl.NumberFormat("en-US", {maximumFractionDigits: 0}).format(Number(n));
/** 0.0379 → "3.79%"; no labeled lead → "–". */
export const percent = (x: number | null, digits = 2): string =>
  x === null ? "–" : new Intl.NumberFormat("en-US", {style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x);
/** [0.1, 0.2] → "10.00–20.00%". */
export const interval = (ci: [number, number] | null): string => (ci === null ? "–" : `${fixed(2).format(ci[0] * 100)}–${fixed(2).format(ci[1] * 100)}%`);
/** 4.634 → "4.63×". */
export const lift = (x: number | null, digits = 2): string => (x === null ? "–" : `${fixed(digits).format(x)}×`);

/** The Wilson 95% interval of x conversions in n labeled leads, from its closed form (null for n = 0). */
export function wilson95(x: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The Katz 95% interval of a lift, the ratio of two proportions x1/n1 over x2/n2 taken as
 * independent, from its closed form exp(ln L ± z·√(1/x1 − 1/n1 + 1/x2 − 1/n2)); null when either
 * has no conversion.
 */
export function katz95(x1: number, n1: number, x2: number, n2: number): [number, number] | null {
  if (!x1 || !x2) return null;
  const z = 1.959963984540054;
  const l = x1 / n1 / (x2 / n2);
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return [l * Math.exp(-z * se), l * Math.exp(z * se)];
}

/** [1.2, 3.4] → "1.20×–3.40×". */
export const liftInterval = (ci: [number, number] | null): string => (ci === null ? "–" : `${lift(ci[0])}–${lift(ci[1])}`);

/** Rate of conversions over labeled leads, null when none is labeled. */
export const rateOf = (conversions: unknown, labeled: unknown): number | null => (Number(labeled) ? Number(conversions) / Number(labeled) : null);

/** The tier labels of V3.2_12212025 (data/rules/v3.2-consolidated.json), fallback last. */
export const CONSOLIDATED_LABELS = ["Prime Mover", "Proven Mover", "Moderate Bleeder", "Experienced Mover", "Heavy Bleeder", "Standard"];

/**
 * The test's own CASE of V3.2_12212025 (data/rules/v3.2-consolidated.json), written by hand from
 * the rule file: Tier 2 needs `prior` prior firms and, when given, `tier2Extra` too.
 */
export const consolidatedCase = (options: {prior?: number; tier2Extra?: string} = {}): string =>
  `CASE
    WHEN (current_firm_tenure_months BETWEEN 12 AND 36 AND industry_tenure_months BETWEEN 60 AND 180 AND firm_net_change_12mo < 0 AND firm_rep_count_at_contact <= 50 AND is_wirehouse = 0)
      OR (current_firm_tenure_months BETWEEN 12 AND 36 AND firm_rep_count_at_contact <= 10 AND is_wirehouse = 0)
      OR (current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180 AND firm_net_change_12mo < 0 AND is_wirehouse = 0) THEN 'Prime Mover'
    WHEN num_prior_firms >= ${options.prior ?? 3} AND industry_tenure_months >= 60 AND is_wirehouse = 0 AND ${options.tier2Extra ?? "TRUE"} THEN 'Proven Mover'
    WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'Moderate Bleeder'
    WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'Experienced Mover'
    WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'Heavy Bleeder'
    ELSE 'Standard' END`;

/**
 * The tier table of V3.2_12212025 (data/rules/v3.2-consolidated.json) by the test's own CASE on the
 * published Parquet `file`, as the tier page's first six columns read (tier, leads, share, labeled,
 * conversions, rate): Tier 2 needs `prior` prior firms and, when given, `tier2Extra` too.
 */
export async function consolidatedTierRows(file: string, options: {prior?: number; tier2Extra?: string} = {}): Promise<string[][]> {
  const tierCase = consolidatedCase(options);
  const rows = await queryParquet(
    file,
    `SELECT ${tierCase} AS tier, COUNT(*) AS leads, COUNT(target) AS labeled, COALESCE(SUM(target), 0) AS conversions, SUM(COUNT(*)) OVER () AS total FROM leads GROUP BY 1`
  );
  const total = Number(rows[0].total);
  return CONSOLIDATED_LABELS.map((label) => {
    const r = rows.find((row) => row.tier === label) ?? {leads: 0, labeled: 0, conversions: 0};
    return [label, count(r.leads), percent(Number(r.leads) / total, 1), count(r.labeled), count(r.conversions), percent(rateOf(r.conversions, r.labeled))];
  });
}

/** Leads, labeled leads and conversions of one tier (or of all leads). */
export interface Counts {
  leads: number;
  labeled: number;
  conversions: number;
}

/** A rule set as the test writes it by hand: its tier labels in rule order (fallback last) and its CASE. */
export interface HandRules {
  labels: readonly string[];
  case: string;
}

/** V3.2_12212025 (data/rules/v3.2-consolidated.json). */
export const CONSOLIDATED: HandRules = {labels: CONSOLIDATED_LABELS, case: consolidatedCase()};

/**
 * V3.1 (data/rules/v3.1.json), its CASE written by hand from the rule file: tiers in order, the
 * first whose conditions all hold wins.
 */
export const V31: HandRules = {
  labels: ["Prime Mover", "Moderate Bleeder", "Experienced Mover", "Heavy Bleeder", "Standard"],
  case: `CASE
    WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180 AND firm_net_change_12mo <> 0 AND is_wirehouse = 0 THEN 'Prime Mover'
    WHEN firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60 THEN 'Moderate Bleeder'
    WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'Experienced Mover'
    WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'Heavy Bleeder'
    ELSE 'Standard' END`
};

/**
 * Per tier of `rules` (the test's own CASE) and for all leads (`all`), the counts among the leads
 * of the published Parquet `file` that `where` keeps (SQL over its columns).
 */
export async function tierCounts(file: string, rules: HandRules = CONSOLIDATED, where = "TRUE"): Promise<Record<string, Counts>> {
  const rows = await queryParquet(
    file,
    `SELECT COALESCE(tier, 'all') AS tier, COUNT(*) AS leads, COUNT(target) AS labeled, COALESCE(SUM(target), 0) AS conversions
     FROM (SELECT ${rules.case} AS tier, target FROM leads WHERE ${where}) GROUP BY ROLLUP (tier)`
  );
  const zero = {leads: 0, labeled: 0, conversions: 0};
  const get = (label: string): Counts => {
    const r = rows.find((row) => row.tier === label);
    return r ? {leads: Number(r.leads), labeled: Number(r.labeled), conversions: Number(r.conversions)} : zero;
  };
  return Object.fromEntries([...rules.labels, "all"].map((label) => [label, get(label)]));
}

/** The tier page's tier table as shown: per row its first six cells' text. */
export const tierTableRows = (page: Page, selector = "#tier-table"): Promise<string[][]> =>
  page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 6).map((td) => td.textContent ?? "")));
