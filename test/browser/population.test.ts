// One population on every page: a site built with an analysis date and a maturity window shows the
// same leads and labeled leads on every page of observablehq.config.ts, opened directly and reached
// through the sidebar from /tiers (also after the maturity is changed there), and those counts are
// what a hand-written COUNT on the published Parquet file gives with native DuckDB.
import {readFileSync} from "node:fs";
import type {Server} from "node:http";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {encodeState} from "../../src/lib/permalink.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {POPULATION_PAGES, SITE_PAGES} from "./pages.js";
import {serveStatic} from "./server.js";
import {buildConfiguredSiteAsync} from "../support/site-copy.js";

// 2025-09-15 − 43 days = 2025-08-03; − 100 days = 2025-06-07 (worked by hand: the cutoffs are not
// computed by the code under test).
const ANALYSIS_DATE = "2025-09-15";
const SITE_CUTOFF = "2025-08-03";
const EDITED_CUTOFF = "2025-06-07";

let browser: Browser;
let server: Server;
let baseUrl: string;
let count: (cutoff: string, where?: string) => Promise<{leads: string; labeled: string}>;
beforeAll(async () => {
  const {dist} = await buildConfiguredSiteAsync({TIERLAB_ANALYSIS_DATE: ANALYSIS_DATE, TIERLAB_MATURITY_DAYS: "43", TIERLAB_DATA: "", TIERLAB_BIGQUERY_TABLE: "", TIERLAB_SITE_CONFIG: ""});
  ({url: baseUrl, server} = await serveStatic(dist));
  browser = await launchChromium();
  const parquet = distLeadsParquet(dist);
  count = async (cutoff, where = "TRUE") => {
    const conn = await NodeConnector.open();
    try {
      const [row] = await conn.query(
        `SELECT COUNT(*) AS leads, COUNT(*) FILTER (WHERE target IS NOT NULL AND contacted_date <= DATE '${cutoff}') AS labeled FROM read_parquet('${parquet}') WHERE ${where}`
      );
      return {leads: Number(row.leads).toLocaleString("en-US"), labeled: Number(row.labeled).toLocaleString("en-US")};
    } finally {
      conn.close();
    }
  };
}, 300_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** The population line every page shows: its description and counts, as on screen. */
async function shownPopulation(page: Page): Promise<{description: string; leads: string; labeled: string}> {
  const text = (await page.textContent("#population-note")) ?? "";
  const m = /^Population: (.*): ([\d,]+) leads, ([\d,]+) labeled/.exec(text);
  if (!m) throw new Error(`unexpected population line: ${text}`);
  return {description: m[1], leads: m[2], labeled: m[3]};
}

/** Opens /tiers, optionally sets the maturity window there, and follows its sidebar link to `name`. */
async function fromTiers(page: Page, name: string, maturityDays?: string): Promise<void> {
  await page.goto(baseUrl + "/tiers");
  await page.waitForSelector("#population-note", {timeout: 60_000});
  if (maturityDays !== undefined) {
    await page.getByLabel("maturity window (days)").fill(maturityDays);
    // The tier page's own numbers follow first (new content, not the line it showed before).
    await page.waitForFunction((cutoff) => document.querySelector("#population-note")?.textContent?.includes(`mature by ${cutoff}`), EDITED_CUTOFF, {timeout: 30_000});
  }
  const before = page.url();
  await page.locator("#observablehq-sidebar").getByRole("link", {name, exact: true}).click();
  await page.waitForURL((url) => url.href !== before && !url.pathname.endsWith("/tiers") && !url.pathname.endsWith("/tiers.html"), {timeout: 30_000});
  await page.waitForSelector("#population-note", {timeout: 60_000});
}

describe("one population on every page", () => {
  it("the page list comes from observablehq.config.ts", () => {
    expect(SITE_PAGES.map((p) => p.path)).toEqual(expect.arrayContaining(["/", "/tiers", "/report"]));
    // Only Explore goes without the controls (its SQL chooses the population): a new page is not skipped.
    expect(SITE_PAGES.filter((p) => !POPULATION_PAGES.includes(p)).map((p) => p.path)).toEqual(["/explore"]);
  });

  for (const {name, path} of POPULATION_PAGES) {
    it(`${path} opened directly shows the site's maturity and the hand count's leads and labeled leads`, async () => {
      const want = await count(SITE_CUTOFF);
      const {page, errors, external} = await watchedPage(browser);
      await page.goto(baseUrl + path);
      await page.waitForSelector("#population-note", {timeout: 60_000});
      expect(await shownPopulation(page)).toEqual({description: `mature by ${SITE_CUTOFF}`, ...want});
      // The controls offer the maturity, opened on the site's.
      expect(await page.getByLabel("analysis date").inputValue()).toBe(ANALYSIS_DATE);
      expect(await page.getByLabel("maturity window (days)").inputValue()).toBe("43");
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.context().close();
    });

    if (path === "/tiers") continue; // the starting page: its sidebar link points to itself
    it(`${path} reached through the sidebar from /tiers shows the same counts, also after the maturity is changed there`, async () => {
      const {page, errors, external} = await watchedPage(browser);
      await fromTiers(page, name);
      expect(await shownPopulation(page)).toEqual({description: `mature by ${SITE_CUTOFF}`, ...(await count(SITE_CUTOFF))});

      await fromTiers(page, name, "100");
      expect(await shownPopulation(page)).toEqual({description: `mature by ${EDITED_CUTOFF}`, ...(await count(EDITED_CUTOFF))});
      expect(await page.getByLabel("maturity window (days)").inputValue()).toBe("100");
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
      await page.context().close();
    });
  }

  it("a link made before links carried the maturity opens on the site's maturity", async () => {
    const rules = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));
    const {page, errors} = await watchedPage(browser);
    await page.goto(`${baseUrl}/report#s=${await encodeState({rules, population: {split: "TRAIN"}})}`);
    await page.waitForSelector("#population-note", {timeout: 60_000});
    expect(await shownPopulation(page)).toEqual({description: `TRAIN, mature by ${SITE_CUTOFF}`, ...(await count(SITE_CUTOFF, "split = 'TRAIN'"))});
    expect(errors).toEqual([]);
  });
});
