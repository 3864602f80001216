// How the pages get their data: every page loads the site's DuckDB database file (ATTACHed in
// DuckDB-WASM, no decoding; the tier page its columns file before it), never the Parquet file nor a Parquet decoder, and still shows the
// numbers `tierlab report` computes from the published Parquet file. The overview links that
// Parquet file for download.
import {readFileSync} from "node:fs";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {describeProvenance, parseProvenance} from "../../src/lib/provenance.js";
import {runCli} from "../support/cli.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsColumns, distLeadsDuckdb, distLeadsParquet, walk} from "./dist-files.js";
import {consolidatedTierRows, count, tierTableRows} from "./independent.js";
import {readySelector, SITE_PAGES} from "./pages.js";

interface CliTier {
  label: string;
  leads: number;
  share: number;
  labeled: number;
  conversions: number;
  rate: number | null;
}

let browser: Browser;
let report: {tiers: CliTier[]};
beforeAll(async () => {
  browser = await launchChromium();
  const {code, out} = await runCli(["report", "--data", distLeadsParquet(inject("distDir")), "--rules", "v3.2-consolidated", "--format", "json"]);
  expect(code).toBe(0);
  report = JSON.parse(out);
});
afterAll(() => browser?.close());


describe("the pages' data", () => {
  it("every page but the report (built ahead) starts the engine early and fetches the DuckDB database file once (the tier and backtest pages their columns file first), and neither the Parquet file nor a Parquet decoder", async () => {
    const duckdbName = distLeadsDuckdb(inject("distDir")).split("/").pop()!;
    const columnsName = distLeadsColumns(inject("distDir")).split("/").pop()!;
    for (const {path} of SITE_PAGES) {
      const {page, errors, external} = await watchedPage(browser);
      const requested: string[] = [];
      const warnings: string[] = [];
      page.on("request", (r) => requested.push(new URL(r.url()).pathname));
      page.on("console", (m) => void (m.type() === "warning" && warnings.push(m.text())));
      await page.goto(inject("baseUrl") + path);
      // Every page states its population once its data is in.
      await page.waitForSelector(readySelector(path), {timeout: 60_000});
      if (path === "/report") {
        // Its numbers were computed at build time (src/report.md): no engine, no data file.
        expect(requested.filter((p) => /duckdb|\.wasm|\.arrow|\.parquet/.test(p)), path).toEqual([]);
        expect([errors, external], path).toEqual([[], []]);
        await page.context().close();
        continue;
      }
      if (path === "/tiers" || path === "/backtest") {
        // Its first numbers come from the columns file, asked for before the DuckDB file; the
        // database follows (the tier editor's observed ranges are a query on it; the backtest is
        // counted from the file, the population and the maturity by the engine).
        if (path === "/tiers") await page.waitForFunction(() => document.querySelector("[data-range-note]")?.textContent?.startsWith("data:"), null, {timeout: 60_000});
        const columns = requested.filter((p) => p.endsWith(".arrow"));
        expect(columns, path).toEqual([`/_file/data/leads/${columnsName}`]);
        expect(requested.indexOf(columns[0]), path).toBeLessThan(requested.findIndex((p) => p.endsWith(".duckdb")));
      } else {
        expect(requested.filter((p) => p.endsWith(".arrow")), path).toEqual([]);
      }
      expect(requested.filter((p) => p.endsWith(".duckdb")), path).toEqual([`/_file/data/leads/${duckdbName}`]);
      // The engine starts from the page's <head> (engineBoot.ts): its one worker is asked for
      // before the page's own code gets to fetch the data.
      const worker = requested.filter((p) => /duckdb-browser-eh\.worker/.test(p));
      expect(worker, path).toHaveLength(1);
      expect(requested.indexOf(worker[0]), path).toBeLessThan(requested.findIndex((p) => p.endsWith(".duckdb")));
      // Instantiated once, by the head's request (AsyncDuckDB would warn of an answer it did not ask for).
      expect(requested.filter((p) => p.endsWith("duckdb-eh.wasm")), path).toHaveLength(1);
      expect(warnings.filter((w) => /unassociated response/.test(w)), path).toEqual([]);
      expect(requested.filter((p) => /\.parquet$|parquet[-_]wasm/.test(p)), path).toEqual([]);
      expect(errors, path).toEqual([]);
      expect(external, path).toEqual([]);
      await page.context().close();
    }
    // The site ships no Parquet decoder.
    expect(walk(inject("distDir")).filter((f) => /parquet[-_]wasm/.test(f))).toEqual([]);
  });

  it("the tier and report pages show the numbers of `tierlab report` on the published Parquet file", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    // The test's own CASE on the same file, written out by its own formatter; and the CLI's counts.
    const expected = await consolidatedTierRows(distLeadsParquet(inject("distDir")));
    expect(report.tiers.map((t) => [t.label, count(t.leads), count(t.labeled), count(t.conversions)])).toEqual(expected.map((r) => [r[0], r[1], r[3], r[4]]));
    expect(await tierTableRows(page)).toEqual(expected);
    await page.goto(inject("baseUrl") + "/report");
    await page.waitForSelector("#report-tiers tbody tr", {timeout: 60_000});
    const reportRows = await page.$$eval("#report-tiers tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent ?? "")));
    expect(reportRows).toEqual(expected.map((r) => r.slice(0, 2)));
    expect(errors).toEqual([]);
  });

  it("the overview links the published Parquet file for download; it carries the provenance the page shows", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(inject("baseUrl") + "/");
    await page.waitForSelector("#source", {timeout: 60_000});
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-parquet")]);
    expect(download.suggestedFilename()).toBe("leads.parquet");
    const bytes = readFileSync(await download.path());
    expect(bytes.equals(readFileSync(distLeadsParquet(inject("distDir"))))).toBe(true);
    // The provenance read from the Parquet file's own metadata (the page read it from the DuckDB file).
    const conn = await NodeConnector.open();
    try {
      const [row] = await conn.query(`SELECT decode(value) AS v FROM parquet_kv_metadata('${distLeadsParquet(inject("distDir"))}') WHERE decode(key) = 'tierlab.provenance'`);
      const provenance = parseProvenance(String(row.v));
      expect(provenance).toMatchObject({kind: "synthetic", rows: 39448});
      expect(await page.textContent("#source")).toContain(`Source: ${describeProvenance(provenance)}`);
    } finally {
      conn.close();
    }
    expect(await page.textContent("#download-parquet")).toMatch(/^download the data \(Parquet, \d+ KB\)$/);
    expect(errors).toEqual([]);
  });
});
