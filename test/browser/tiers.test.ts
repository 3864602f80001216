// The tier page in Chromium: same numbers as the CLI's engine, live edits, permalinks, downloads.
import {readFileSync} from "node:fs";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {decodeState} from "../../src/lib/permalink.js";
import type {RuleSet} from "../../src/lib/rules/types.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {consolidatedTierRows, queryParquet, tierTableRows} from "./independent.js";

const consolidated: RuleSet = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));
let browser: Browser;
let parquet: string;
/** The tier table by the test's own CASE on the published Parquet (Proven Mover at 3+ prior firms, or `prior`). */
let deployed: string[][];
beforeAll(async () => {
  browser = await launchChromium();
  parquet = distLeadsParquet(inject("distDir"));
  deployed = await consolidatedTierRows(parquet);
});
afterAll(async () => {
  await browser?.close();
});

const tierRows = (page: Page) => tierTableRows(page);

describe("tier criteria page", () => {
  it("shows the CLI engine's numbers, recomputes after an edit, and restores the edit from its link", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await tierRows(page)).toEqual(deployed);
    // The first numbers are counted from the columns file, before the engine has the data.
    expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("loop");
    expect(await page.textContent("#recompute-path")).toMatch(/^took the population from the columns file \(\d+ ms\), then counted in JavaScript$/);
    // The editor's observed ranges arrive after the first numbers and are filled in place.
    const [{lo, hi}] = await queryParquet(parquet, `SELECT MIN(firm_rep_count_at_contact) AS lo, MAX(firm_rep_count_at_contact) AS hi FROM leads`);
    const note = page.locator('[data-range-note="firm_rep_count_at_contact"]').first();
    await expect.poll(() => note.textContent(), {timeout: 10_000}).toBe(`data: ${lo} to ${hi}`);
    expect(await page.locator('[data-range-title="firm_rep_count_at_contact"]').first().getAttribute("title")).toBe(`observed ${lo} to ${hi}`);

    // The page writes its state into the address from the start; remember that first link.
    await expect.poll(() => page.url(), {timeout: 5_000}).toMatch(/#s=1\./);
    const initialLink = page.url();

    // Loosen Proven Mover from 3+ prior firms to 2+.
    const input = page.getByLabel("tier TIER_2_PROVEN_MOVER condition 1 value");
    await input.fill("2");
    await input.dispatchEvent("change");
    const want = await consolidatedTierRows(parquet, {prior: 2});
    expect(want).not.toEqual(deployed);
    await expect.poll(() => tierRows(page), {timeout: 10_000}).toEqual(want);
    // The time is shown to a tenth of a millisecond (a fast loop may show 0.0).
    expect(await page.textContent("#recompute-ms")).toMatch(/^\d+\.\d$/);
    // The edit was counted by the compiled JavaScript loop over typed columns, not by SQL.
    expect(await page.getAttribute("#recompute-path", "data-counted-by")).toBe("loop");

    // The address now carries the edit; opening it elsewhere restores it.
    await expect.poll(() => page.url(), {timeout: 5_000}).not.toBe(initialLink);
    const link = page.url();
    const other = await watchedPage(browser);
    await other.page.goto(link);
    await other.page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await tierRows(other.page)).toEqual(want);
    expect(await other.page.inputValue('[aria-label="tier TIER_2_PROVEN_MOVER condition 1 value"]')).toBe("2");
    expect([...errors, ...other.errors]).toEqual([]);
    expect([...external, ...other.external]).toEqual([]);
  });

  it("reads back at once a state it has not yet written (the address is written 150 ms after the last edit)", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    await expect.poll(() => page.url(), {timeout: 5_000}).toMatch(/#s=1\./);
    // The page's own copy of the module ("Reload data" re-reads the address through it).
    const module = /\.\/_import\/components\/workbenchState\.[0-9a-f]+\.js/.exec(await page.content())![0];
    const edited: RuleSet = structuredClone(consolidated);
    edited.name = "written just now";
    const state = {rules: edited, compare: "v3.2", population: {split: "TEST"}};
    // (A string: the test runner would rewrite a dynamic import written in a function.)
    const read = await page.evaluate(`import(new URL(${JSON.stringify(module)}, location.href).href).then((m) => {
      m.writeUrlState(${JSON.stringify(state)});
      return m.readUrlState();
    }).then((r) => r.state)`);
    expect(read).toEqual(state);
    expect(await decodeState((await page.evaluate(() => location.hash)).replace(/^#s=/, ""))).toEqual(state);
    expect(errors).toEqual([]);
  });

  it("a link to another page clicked right after an edit opens that page on the edit", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    // Edit, then click "Backtest" in the sidebar 50 ms later: before the address's write is due
    // (150 ms after the edit), so the link still holds the state from before the edit.
    await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('[aria-label="tier TIER_2_PROVEN_MOVER condition 1 value"]')!;
      input.value = "2";
      input.dispatchEvent(new Event("input", {bubbles: true}));
      input.dispatchEvent(new Event("change", {bubbles: true}));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
      document.querySelector<HTMLAnchorElement>('#observablehq-sidebar a[href*="backtest"]')!.click();
    });
    await page.waitForURL(/\/backtest(\.html)?#s=/, {timeout: 10_000});
    const state = (await decodeState(new URL(page.url()).hash.replace(/^#s=/, ""))) as {rules: RuleSet};
    expect((state.rules.tiers[1].when![0] as {gte: number}).gte).toBe(2);
    await page.waitForSelector("#setup select", {timeout: 60_000});
    expect(await page.$eval("#setup select", (s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe("the rule set edited on the tiers page");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("downloads the BigQuery scoring SQL of the edited rule set", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-file$="_tiered_scoring.sql"]')]);
    const text = readFileSync(await download.path(), "utf8");
    expect(download.suggestedFilename()).toBe("V3.2_12212025_tiered_scoring.sql");
    expect(text).toMatch(/CREATE OR REPLACE TABLE `my-project\.ml_features\.lead_scores_v3`/);
    expect(text).toContain("'TIER_1_PRIME_MOVER'");
    expect(errors).toEqual([]);
  });

  it("a tampered or truncated link shows a clear message and the default rule set", async () => {
    const {page} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers#s=1.AAAA");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await page.textContent(".tl-error")).toMatch(/could not be opened.*damaged or cut short/s);
    expect(await tierRows(page)).toEqual(deployed);
  });

  it("an invalid edit shows the problem and keeps the last good results", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await tierRows(page)).toEqual(deployed);
    // The table shown is marked: kept means these very nodes stay, not a new table with the same numbers.
    await page.evaluate(() => document.querySelector("#tier-table")!.setAttribute("data-kept", ""));
    const min = page.getByLabel("tier TIER_3_MODERATE_BLEEDER condition 1 minimum");
    await min.fill("5");
    await min.dispatchEvent("change");
    await expect.poll(() => page.textContent("#results"), {timeout: 10_000}).toMatch(/between needs min ≤ max/);
    expect(await page.locator("#tier-table[data-kept]").count()).toBe(1);
    expect(await tierRows(page)).toEqual(deployed);
    // Once the range is valid again, the next edit is counted: a new table, with Proven Mover at 2+ prior firms.
    await min.fill("-10");
    await min.dispatchEvent("change");
    const prior = page.getByLabel("tier TIER_2_PROVEN_MOVER condition 1 value");
    await prior.fill("2");
    await prior.dispatchEvent("change");
    await page.waitForSelector("#tier-table:not([data-kept])", {timeout: 10_000});
    await expect.poll(() => tierRows(page), {timeout: 10_000}).toEqual(await consolidatedTierRows(parquet, {prior: 2}));
    expect(errors).toEqual([]);
  });
});
