// The signals page in headless Chromium shows the CLI's numbers for the same data (the Parquet
// file the built site serves), redraws when a band edge is edited or the population changes, and
// does it with no console error and no request leaving 127.0.0.1.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {main} from "../../cli/main.js";
import {formatValue, int, pct, pctInterval, times} from "../../src/lib/format.js";
import {ivStrength} from "../../src/lib/signals/iv.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function cli(...args: string[]): Promise<Json> {
  let out = "";
  let err = "";
  const code = await main(["signals", "--data", distLeadsParquet(inject("distDir")), "--format", "json", ...args], {stdout: (t) => (out += t), stderr: (t) => (err += t)});
  if (code !== 0) throw new Error(`tierlab signals failed (${code}): ${err}`);
  return JSON.parse(out);
}

const cells = (page: Page, selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));

let browser: Browser;
let all: Json;
let noWirehouse: Json;
let byIv: Json;
beforeAll(async () => {
  browser = await launchChromium();
  all = await cli();
  byIv = await cli("--rank", "iv");
  noWirehouse = await cli("--exclude-wirehouse");
});
afterAll(() => browser?.close());

describe("signals page", () => {
  it("matches the CLI, redraws on band edits and population changes, offline", async () => {
    const {page, errors, external} = await watchedPage(browser, {height: 1000});
    await page.goto(inject("baseUrl") + "/signals");
    await page.waitForSelector("#signal-table tbody tr", {timeout: 60_000});

    // The signal table, row by row, equals the CLI's ranked signals.
    const expected = all.signals.map((s: Json, i: number) => [
      String(i + 1),
      s.label,
      s.definition,
      int(s.leads),
      int(s.labeled),
      int(s.conversions),
      pct(s.rate),
      pctInterval(s.ci),
      times(s.lift),
      s.published?.rate == null ? "–" : pct(s.published.rate),
      s.published?.lift == null ? "–" : times(s.published.lift, 1),
      formatValue("index3", s.iv),
      ivStrength(s.iv) ?? "–"
    ]);
    expect(await cells(page, "#signal-table")).toEqual(expected);
    expect(await page.textContent("#kpis")).toContain(pct(all.population.rate));

    // Every band table equals the CLI's bands, missing row last.
    for (const column of all.bands) {
      const rows = [...column.bands, {label: "missing", ...column.missing}].map((b: Json) => [b.label, int(b.leads), int(b.labeled), int(b.conversions), pct(b.rate)]);
      const shown = (await cells(page, `#band-${column.column} table`)).map((r) => r.slice(0, 5));
      expect(shown, column.column).toEqual(rows);
      // WoE and IV term of every band, and the column's IV, as the CLI gives them.
      const woe = [...column.bands, column.missing].map((b: Json) => [formatValue("woe", b.woe), formatValue("index3", b.iv)]);
      expect((await cells(page, `#band-${column.column} table`)).map((r) => r.slice(-2)), column.column).toEqual(woe);
      expect(await page.textContent(`#band-${column.column} .tl-iv`)).toContain(formatValue("index3", column.iv));
    }
    expect((await cells(page, "#band-iv")).map((r) => [r[1], r[3], r[4]])).toEqual(all.bands.map((b: Json) => [b.column, formatValue("index3", b.iv), ivStrength(b.iv)]));
    expect(await page.textContent("main")).toContain("gets 0.5 added to both of its counts");
    // Ranked by IV: the order of tierlab signals --rank iv.
    await page.locator("#signal-rank input[value='1']").check();
    await page.waitForFunction((first) => document.querySelector("#signal-table tbody td:nth-child(2)")?.textContent === first, byIv.signals[0].label, {timeout: 30_000});
    expect((await cells(page, "#signal-table")).map((r) => r[1])).toEqual(byIv.signals.map((s: Json) => s.label));
    await page.locator("#signal-rank input[value='0']").check();
    await page.waitForFunction((first) => document.querySelector("#signal-table tbody td:nth-child(2)")?.textContent === first, all.signals[0].label, {timeout: 30_000});
    // Charts: n on every bar; the cross heatmap is drawn with n in its cells.
    const tenureCard = "#band-current_firm_tenure_months";
    expect(await page.locator(`${tenureCard} svg text`, {hasText: "n = "}).count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator("#cross svg text", {hasText: "n = "}).count()).toBeGreaterThan(10);
    mkdirSync("scratch", {recursive: true});
    await page.screenshot({path: join("scratch", "signals.png"), fullPage: true});

    // Edit the tenure bands: 12–36 splits into 12–24 and 25–36, in the table and in the chart.
    const old = all.bands[0].bands.find((b: Json) => b.label === "12–36");
    const input = page.locator(`${tenureCard} input[name=text]`);
    await input.fill("12, 25, 37, 49, 121");
    await input.press("Enter");
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes("25–36"), `${tenureCard} table`, {timeout: 30_000});
    const edited = await cells(page, `${tenureCard} table`);
    const split = edited.filter((r) => r[0] === "12–24" || r[0] === "25–36");
    expect(split).toHaveLength(2);
    expect(split.reduce((s, r) => s + Number(r[1].replace(/,/g, "")), 0)).toBe(old.leads);
    expect(await page.locator(`${tenureCard} svg text`, {hasText: "25–36"}).count()).toBeGreaterThan(0);
    // The cross uses the edited tenure bands too.
    await page.waitForFunction(() => document.querySelector("#cross")?.textContent?.includes("25–36"), null, {timeout: 30_000});

    // A bad edge is reported in the card, readably.
    await input.fill("12, abc");
    await input.press("Enter");
    await page.waitForSelector(`${tenureCard} .tl-error`, {timeout: 30_000});
    expect(await page.textContent(`${tenureCard} .tl-error`)).toContain(`"abc" is not a number`);
    await input.fill("12, 37, 49, 121");
    await input.press("Enter");
    await page.waitForSelector(`${tenureCard} svg`, {timeout: 30_000});

    // Excluding wirehouses gives the CLI's --exclude-wirehouse numbers.
    await page.locator("#population-controls input[type=checkbox]").check();
    await page.waitForFunction((leads) => document.querySelector("#kpis")?.textContent?.includes(leads), int(noWirehouse.population.leads), {timeout: 30_000});
    await page.waitForFunction((first) => document.querySelector("#signal-table tbody td:nth-child(5)")?.textContent === first, int(noWirehouse.signals[0].labeled), {timeout: 30_000});
    expect((await cells(page, "#signal-table")).map((r) => [r[1], r[2], r[4], r[6], r[8]])).toEqual(noWirehouse.signals.map((s: Json) => [s.label, s.definition, int(s.labeled), pct(s.rate), times(s.lift)]));

    expect(await page.textContent("#sql")).toContain("COUNT(*) FILTER (WHERE");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
