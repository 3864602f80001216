// The overview page in headless Chromium shows exactly the Node engine's numbers for the same
// data, with no console errors and no request leaving 127.0.0.1.
import {readFileSync} from "node:fs";
import {brotliDecompressSync, gunzipSync} from "node:zlib";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {loadLeadsFile} from "../../loaders/load-data.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {int, pct, pctInterval} from "../../src/lib/format.js";
import {overview, type Overview} from "../../src/lib/overview/overview.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet, walk} from "./dist-files.js";

let browser: Browser;
let native: Overview;
beforeAll(async () => {
  browser = await launchChromium();
  const conn = await NodeConnector.open();
  await loadLeadsFile(conn, distLeadsParquet(inject("distDir")));
  native = await overview(conn);
  conn.close();
});
afterAll(() => browser?.close());

describe("overview page", () => {
  it("shows the same numbers as the Node engine, offline", async () => {
    const {page, errors, external} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/");
    await page.waitForSelector("#kpis .big", {timeout: 60_000});
    const kpis = await page.$$eval("#kpis .big", (els) => els.map((e) => e.textContent));
    const p = native.population;
    expect(kpis).toEqual([int(p.leads), int(p.labeled), int(p.conversions), pct(p.rate)]);
    expect(await page.textContent("#kpis")).toContain(pctInterval(p.ci));

    const splitRows = await page.$$eval("table.tl-table", (tables) =>
      [...tables[0].querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].slice(0, 7).map((td) => td.textContent))
    );
    expect(splitRows).toEqual(native.splits.map((s) => [s.split, s.from, s.to, int(s.leads), int(s.labeled), int(s.conversions), pct(s.rate)]));
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
