// The overview page in headless Chromium shows the numbers of the test's own SQL on the published
// Parquet file, written out by an independent formatter (independent.ts), and the seeds' published
// values as literal text; no console errors and no request leaving 127.0.0.1.
import {readFileSync} from "node:fs";
import {brotliDecompressSync, gunzipSync} from "node:zlib";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet, walk} from "./dist-files.js";
import {count, interval, percent, queryParquet, rateOf, wilson95} from "./independent.js";

type Row = Record<string, unknown>;
let browser: Browser;
let total: Row;
let splits: Row[];
let months: Row[];
beforeAll(async () => {
  browser = await launchChromium();
  const file = distLeadsParquet(inject("distDir"));
  const counts = "COUNT(*) AS leads, COUNT(target) AS labeled, COALESCE(SUM(target), 0) AS conversions";
  [total] = await queryParquet(file, `SELECT ${counts}, COUNT(*) FILTER (WHERE is_wirehouse = 1) AS wirehouse FROM leads`);
  splits = await queryParquet(file, `SELECT split, strftime(MIN(contacted_date), '%Y-%m-%d') AS "from", strftime(MAX(contacted_date), '%Y-%m-%d') AS "to", ${counts} FROM leads GROUP BY split ORDER BY MIN(contacted_date)`);
  months = await queryParquet(file, `SELECT strftime(contacted_date, '%Y-%m') AS month, ${counts} FROM leads GROUP BY 1 ORDER BY 1`);
});
afterAll(() => browser?.close());

describe("overview page", () => {
  it("shows the numbers of hand-written SQL on the published file, and the seeds' published values, offline", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/");
    await page.waitForSelector("#kpis .big", {timeout: 60_000});
    const kpis = await page.$$eval("#kpis .big", (els) => els.map((e) => e.textContent));
    const rate = rateOf(total.conversions, total.labeled);
    expect(kpis).toEqual([count(total.leads), count(total.labeled), count(total.conversions), percent(rate)]);
    expect(await page.textContent("#kpis")).toContain(interval(wilson95(Number(total.conversions), Number(total.labeled))));
    // The seeds' published feature table (G1.1.1, G1.1.2), which the default data reproduces: as literal text.
    expect(kpis[0]).toBe("39,448");
    expect(kpis[3]).toBe("3.79%");

    const tableRows = (index: number) =>
      page.$$eval("table.tl-table", (tables, i) => [...tables[i].querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())), index);
    const splitRows = await tableRows(0);
    expect(splitRows.map((r) => r.slice(0, 8))).toEqual(
      splits.map((s) => [s.split, s.from, s.to, count(s.leads), count(s.labeled), count(s.conversions), percent(rateOf(s.conversions, s.labeled)), interval(wilson95(Number(s.conversions), Number(s.labeled)))])
    );
    // The seeds' split sizes and rates (G2.1), literal.
    expect(splitRows.map((r) => [r[0], r[3], r[6]])).toEqual([
      ["TRAIN", "30,727", "3.66%"],
      ["GAP", "1,802", "4.61%"],
      ["TEST", "6,919", "4.16%"]
    ]);
    // The monthly table (the charts' numbers), month by month.
    const monthRows = await page.$$eval("details table.tl-table tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));
    expect(monthRows.map((r) => r.slice(1))).toEqual(months.map((m) => [count(m.leads), count(m.labeled), count(m.conversions), percent(rateOf(m.conversions, m.labeled)), interval(wilson95(Number(m.conversions), Number(m.labeled)))]));
    expect(monthRows).toHaveLength(months.length);
    expect(await page.textContent("main")).toContain(`Wirehouse leads: ${count(total.wirehouse)} (${percent(Number(total.wirehouse) / Number(total.leads), 1)} of the population's leads`);
    expect(await page.textContent("#source")).toMatch(/Synthetic data \(seed 42\), 39,448 rows/);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the built site references no external host in its HTML or module imports", () => {
    const offenders: string[] = [];
    for (const file of walk(inject("distDir"))) {
      if (!/\.(html|js|css)$/.test(file)) continue;
      const text = readFileSync(file, "utf8");
      const patterns = [/<(?:script|link)[^>]+(?:src|href)="https?:\/\//g, /\bimport\s*\(?\s*["']https?:\/\//g, /\bfrom\s*["']https?:\/\//g, /@import\s+url\(["']?https?:/g];
      for (const re of patterns) for (const m of text.matchAll(re)) offenders.push(`${file}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe("the built site's assets", () => {
  it("the DuckDB engine has a brotli copy for hosts that serve precompressed files", () => {
    const wasm = walk(inject("distDir")).find((f) => f.endsWith("duckdb-eh.wasm"))!;
    const raw = readFileSync(wasm);
    const br = readFileSync(wasm + ".br");
    expect(br.length).toBeLessThan(raw.length / 3);
    expect(brotliDecompressSync(br).equals(raw)).toBe(true);
  });

  it("the leads' DuckDB file and columns file have gzip and brotli copies too", () => {
    for (const file of walk(inject("distDir")).filter((f) => /\/leads\.[0-9a-f]+\.(duckdb|arrow)$/.test(f))) {
      const raw = readFileSync(file);
      expect(gunzipSync(readFileSync(file + ".gz")).equals(raw), file).toBe(true);
      expect(brotliDecompressSync(readFileSync(file + ".br")).equals(raw), file).toBe(true);
    }
    expect(walk(inject("distDir")).filter((f) => /\/leads\.[0-9a-f]+\.(duckdb|arrow)\.br$/.test(f))).toHaveLength(2);
  });
});
