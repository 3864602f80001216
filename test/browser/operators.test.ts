// The tier page's editor with the operators notBetween and startsWith: the tier table follows the
// edit with the numbers a hand-written SQL query gives on the published Parquet file (its own CASE,
// not the project's compiler or report), and a rule on a text column is counted by SQL.
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";

let browser: Browser;
let conn: NodeConnector;
let parquet: string;
beforeAll(async () => {
  browser = await launchChromium();
  conn = await NodeConnector.open();
  parquet = distLeadsParquet(inject("distDir")).replace(/'/g, "''");
});
afterAll(async () => {
  await browser?.close();
  conn?.close();
});

const LABELS = ["Prime Mover", "Proven Mover", "Moderate Bleeder", "Experienced Mover", "Heavy Bleeder", "Standard"];

/**
 * V3.2_12212025 (data/rules/v3.2-consolidated.json) written out by hand, with the Proven Mover
 * and Moderate Bleeder criteria given by the caller; per tier label: leads, labeled, conversions.
 */
async function handCounts(provenMover: string, moderateBleeder: string): Promise<number[][]> {
  const rows = await conn.query(`
    SELECT CASE
      WHEN (current_firm_tenure_months BETWEEN 12 AND 36 AND industry_tenure_months BETWEEN 60 AND 180 AND firm_net_change_12mo < 0 AND firm_rep_count_at_contact <= 50 AND is_wirehouse = 0)
        OR (current_firm_tenure_months BETWEEN 12 AND 36 AND firm_rep_count_at_contact <= 10 AND is_wirehouse = 0)
        OR (current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months BETWEEN 60 AND 180 AND firm_net_change_12mo < 0 AND is_wirehouse = 0) THEN 'Prime Mover'
      WHEN ${provenMover} THEN 'Proven Mover'
      WHEN ${moderateBleeder} THEN 'Moderate Bleeder'
      WHEN current_firm_tenure_months BETWEEN 12 AND 48 AND industry_tenure_months >= 240 THEN 'Experienced Mover'
      WHEN firm_net_change_12mo < -10 AND industry_tenure_months >= 60 THEN 'Heavy Bleeder'
      ELSE 'Standard' END AS tier,
      COUNT(*)::INTEGER AS leads, COUNT(target)::INTEGER AS labeled, COALESCE(SUM(target), 0)::INTEGER AS conversions
    FROM read_parquet('${parquet}') GROUP BY 1`);
  const byTier = new Map(rows.map((r) => [r.tier, [r.leads, r.labeled, r.conversions] as number[]]));
  return LABELS.map((label) => byTier.get(label) ?? [0, 0, 0]);
}

const PROVEN_MOVER = "num_prior_firms >= 3 AND industry_tenure_months >= 60 AND is_wirehouse = 0";
const MODERATE_BLEEDER = "firm_net_change_12mo BETWEEN -10 AND -1 AND industry_tenure_months >= 60";

/** The tier table's label, leads, labeled and conversions per row. */
async function tableCounts(page: Page): Promise<(string | number)[][]> {
  const rows = await page.$$eval("#tier-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  return rows.map((cells) => [cells[0], ...[cells[1], cells[3], cells[4]].map((text) => Number(text.replace(/,/g, "")))]);
}
const withLabels = (counts: number[][]) => counts.map((c, i) => [LABELS[i], ...c]);

async function openTierPage(page: Page): Promise<void> {
  await page.goto(inject("baseUrl") + "/tiers");
  await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
  await expect.poll(() => tableCounts(page), {timeout: 30_000}).toEqual(withLabels(await handCounts(PROVEN_MOVER, MODERATE_BLEEDER)));
}

describe("the editor's notBetween and startsWith", () => {
  it("notBetween: Moderate Bleeder's net change outside [-10, -1] gives the hand query's numbers, counted in JavaScript", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await openTierPage(page);
    const where = "tier TIER_3_MODERATE_BLEEDER condition 1";
    expect(await page.$$eval(`[aria-label="${where} operator"] option`, (options) => options.map((o) => [o.getAttribute("value"), o.textContent]))).toEqual(
      expect.arrayContaining([["notBetween", "not between"], ["startsWith", "starts with"]])
    );
    await page.selectOption(`[aria-label="${where} operator"]`, "notBetween");
    // Both ends carried over into the operator's two number inputs.
    expect([await page.inputValue(`[aria-label="${where} minimum"]`), await page.inputValue(`[aria-label="${where} maximum"]`)]).toEqual(["-10", "-1"]);
    expect(await page.getAttribute(`[aria-label="${where} minimum"]`, "type")).toBe("number");
    const want = await handCounts(PROVEN_MOVER, "(firm_net_change_12mo < -10 OR firm_net_change_12mo > -1) AND industry_tenure_months >= 60");
    expect(want).not.toEqual(await handCounts(PROVEN_MOVER, MODERATE_BLEEDER));
    await expect.poll(() => tableCounts(page), {timeout: 15_000}).toEqual(withLabels(want));
    expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("loop");

    // A new upper end: outside [-10, 3].
    await page.fill(`[aria-label="${where} maximum"]`, "3");
    await page.dispatchEvent(`[aria-label="${where} maximum"]`, "change");
    const moved = await handCounts(PROVEN_MOVER, "(firm_net_change_12mo < -10 OR firm_net_change_12mo > 3) AND industry_tenure_months >= 60");
    expect(moved).not.toEqual(want);
    await expect.poll(() => tableCounts(page), {timeout: 15_000}).toEqual(withLabels(moved));
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("startsWith on split: Proven Mover only for splits starting with TR, counted by SQL, with the hand query's numbers", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await openTierPage(page);
    await page.click('[aria-label="add a condition to TIER_2_PROVEN_MOVER"]');
    const where = "tier TIER_2_PROVEN_MOVER condition 4";
    await page.selectOption(`[aria-label="${where} column"]`, "split");
    await page.selectOption(`[aria-label="${where} operator"]`, "startsWith");
    expect(await page.getAttribute(`[aria-label="${where} value"]`, "type")).toBe("text");
    await page.fill(`[aria-label="${where} value"]`, "TR");
    await page.dispatchEvent(`[aria-label="${where} value"]`, "change");
    const want = await handCounts(`${PROVEN_MOVER} AND split LIKE 'TR%'`, MODERATE_BLEEDER);
    expect(want).not.toEqual(await handCounts(PROVEN_MOVER, MODERATE_BLEEDER));
    await expect.poll(() => tableCounts(page), {timeout: 30_000}).toEqual(withLabels(want));
    expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("sql");
    expect(await page.textContent("#recompute-path")).toMatch(/^computed in SQL because /);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
