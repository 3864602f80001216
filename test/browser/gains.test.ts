// The tier page's gains and discrimination against an independent computation: the consolidated
// V3.2 rule set written out by hand as a SQL CASE, run by DuckDB on the published Parquet file;
// cumulative counts by window sums, the AUC as the Mann–Whitney U from average ranks. Then an edit
// in the editor: the gains follow it.
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {CONSOLIDATED_LABELS, consolidatedCase, count, lift, percent} from "./independent.js";

/** The tier's position in rule order (fallback last), from the hand CASE of data/rules/v3.2-consolidated.json. */
const tierCase = (priorFirms: number) => `list_position([${CONSOLIDATED_LABELS.map((l) => `'${l}'`).join(", ")}], ${consolidatedCase({prior: priorFirms})})`;

let browser: Browser;
let conn: NodeConnector;
let parquet: string;
beforeAll(async () => {
  browser = await launchChromium();
  conn = await NodeConnector.open();
  parquet = distLeadsParquet(inject("distDir"));
});
afterAll(async () => {
  await browser?.close();
  conn?.close();
});

interface Expected {
  rows: string[][];
  auc: number;
  ks: number;
}

/** The gains rows as the page formats them, and AUC / KS, all from SQL over the Parquet file. */
async function expected(priorFirms: number): Promise<Expected> {
  const scored = `(SELECT ${tierCase(priorFirms)} AS r, target FROM read_parquet('${parquet}'))`;
  const rows = await conn.query(`
    WITH per AS (SELECT t.r, COUNT(s.r) AS leads, COUNT(s.target) AS labeled, COALESCE(SUM(s.target), 0) AS conv
                 FROM range(1, 7) t(r) LEFT JOIN ${scored} s ON s.r = t.r GROUP BY t.r),
    cum AS (SELECT r, SUM(leads) OVER w AS cl, SUM(labeled) OVER w AS cn, SUM(conv) OVER w AS cc,
                   SUM(leads) OVER () AS tl, SUM(labeled) OVER () AS tn, SUM(conv) OVER () AS tc
            FROM per WINDOW w AS (ORDER BY r))
    SELECT r, cl, cn, cc, cl / tl AS leads_share, cc / tc AS conv_share, cc / cn AS rate, (cc / cn) / (tc / tn) AS lift
    FROM cum ORDER BY r`);
  // AUC = (sum of the converters' average ranks − P(P + 1)/2) / (P·N), the score being −r (tier 1 highest).
  const [mw] = await conn.query(`
    WITH labeled AS (SELECT -r AS score, target FROM ${scored} WHERE target IS NOT NULL),
    ranked AS (SELECT target, RANK() OVER (ORDER BY score) + (COUNT(*) OVER (PARTITION BY score) - 1) / 2.0 AS avg_rank FROM labeled)
    SELECT SUM(avg_rank) FILTER (WHERE target = 1) AS r1, COUNT(*) FILTER (WHERE target = 1) AS p, COUNT(*) FILTER (WHERE target = 0) AS n FROM ranked`);
  const [ks] = await conn.query(`
    SELECT MAX(ABS(cp / tp - cn / tn)) AS ks FROM (
      SELECT SUM(p) OVER (ORDER BY r) AS cp, SUM(n) OVER (ORDER BY r) AS cn, SUM(p) OVER () AS tp, SUM(n) OVER () AS tn
      FROM (SELECT r, SUM(target) AS p, COUNT(target) - SUM(target) AS n FROM ${scored} GROUP BY r))`);
  const [P, N] = [Number(mw.p), Number(mw.n)];
  expect(P).toBeGreaterThan(0);
  expect(N).toBeGreaterThan(0);
  return {
    rows: rows.map((g, i) => [CONSOLIDATED_LABELS[i], count(g.cl), percent(Number(g.leads_share), 1), count(g.cn), count(g.cc), percent(Number(g.conv_share), 1), percent(Number(g.rate)), lift(Number(g.lift))]),
    auc: (Number(mw.r1) - (P * (P + 1)) / 2) / (P * N),
    ks: Number(ks.ks)
  };
}

const shownRows = (page: Page): Promise<string[][]> =>
  page.$$eval("#gains-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
const sentence = (e: Expected) => `AUC is ${e.auc.toFixed(3)} (ties counted half), Gini ${(2 * e.auc - 1).toFixed(3)}, KS ${e.ks.toFixed(3)}.`;

describe("tier page: gains and discrimination", () => {
  it("shows the gains table, AUC / Gini / KS, the gains curve and the lift chart of SQL written by hand, and follows an edit", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#gains-table tbody tr", {timeout: 60_000});
    const before = await expected(3);
    expect(await shownRows(page)).toEqual(before.rows);
    expect(await page.textContent("#gains-discrimination")).toContain(sentence(before));
    // The curve: one dot per tier (from (0, 0)), the diagonal; the lift chart: each row's cumulative lift.
    expect(await page.locator("#gains-curve svg circle").count()).toBe(CONSOLIDATED_LABELS.length);
    expect(await page.textContent("#gains-curve svg")).toContain("random order");
    const liftTexts = await page.$$eval("#gains-lift svg text", (ts) => ts.map((t) => t.textContent ?? ""));
    for (const row of before.rows) expect(liftTexts).toContain(row[7]);

    // Loosen Proven Mover from 3+ prior firms to 2+; mark the shown panel and wait for a new one.
    await page.$eval("#gains", (el) => el.setAttribute("data-old", ""));
    const input = page.getByLabel("tier TIER_2_PROVEN_MOVER condition 1 value");
    await input.fill("2");
    await input.dispatchEvent("change");
    await page.waitForSelector("#gains:not([data-old]) #gains-table tbody tr", {timeout: 30_000});
    const after = await expected(2);
    expect(after.rows).not.toEqual(before.rows);
    expect(after.auc).not.toBe(before.auc);
    expect(await shownRows(page)).toEqual(after.rows);
    expect(await page.textContent("#gains-discrimination")).toContain(sentence(after));
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
