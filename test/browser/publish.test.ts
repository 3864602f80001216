// Publishing: a site built with a non-default configuration opens on exactly that configuration,
// from a plain static server with every non-local request blocked; its report matches the CLI.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import type {Server} from "node:http";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";
import {readySelector, SITE_PAGES} from "./pages.js";
import {serveStatic} from "./server.js";
import {buildConfiguredSiteAsync} from "../support/site-copy.js";
import {parseCsv} from "../csv-records.js";
import {runCli} from "../support/cli.js";

let browser: Browser;
let server: Server;
let baseUrl: string;
let dist: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tierlab-publish-"));
  const config = join(dir, "site.json");
  writeFileSync(config, JSON.stringify({title: "Q4 tier review", rules: "v3.1", compare: "v3.2-consolidated"}));
  ({dist} = await buildConfiguredSiteAsync({TIERLAB_SITE_CONFIG: config, TIERLAB_ROWS: "20000", TIERLAB_SEED: "7"}));
  ({url: baseUrl, server} = await serveStatic(dist));
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function cli(args: string[]): Promise<string> {
  const {code, out} = await runCli(args);
  expect(code).toBe(0);
  return out;
}

describe("a published site with its own configuration", () => {
  it("opens every page on the configured data and rule sets, offline", async () => {
    const {page, errors, external} = await watchedPage(browser);
    for (const {path} of SITE_PAGES) {
      await page.goto(baseUrl + path);
      await page.waitForSelector(readySelector(path), {timeout: 60_000});
      expect(await page.title()).toContain("Q4 tier review");
    }
    await page.goto(baseUrl + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await page.textContent("#tier-table")).toContain("Moderate Bleeder");
    expect(await page.$eval("select", (s) => (s as HTMLSelectElement).selectedOptions[0].textContent)).toBe("V3.1 (v3.1)");
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("the report shows the configured rule sets and the numbers of `tierlab report --format md`", async () => {
    const {page, errors} = await watchedPage(browser);
    await page.goto(baseUrl + "/report");
    await page.waitForSelector("#report-tiers tbody tr", {timeout: 60_000});
    const meta = await page.textContent("#report-meta");
    expect(meta).toMatch(/Rule set: V3\.1/);
    expect(meta).toMatch(/compared with: V3\.2_12212025/);
    expect(meta).toMatch(/Synthetic data \(seed 7\), 20,000 rows/);
    const md = await cli(["report", "--data", distLeadsParquet(dist), "--rules", "v3.1", "--format", "md"]);
    // The "## Tiers" table: its rows after the header and the alignment line, up to the blank line.
    const lines = md.split("\n");
    const from = lines.indexOf("## Tiers") + 4;
    const mdRows = lines.slice(from, lines.indexOf("", from)).map((l) => l.slice(2, -2).split(" | "));
    expect(mdRows.length).toBeGreaterThan(1);
    // The page renders the same table spec: the same cells, word for word.
    const pageRows = await page.$$eval("#report-tiers tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(pageRows).toEqual(mdRows);
    expect(errors).toEqual([]);
  });

  it("a CSV download equals the table on screen", async () => {
    const {page} = await watchedPage(browser);
    await page.goto(baseUrl + "/report");
    await page.waitForSelector("#report-tiers tbody tr", {timeout: 60_000});
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#report-tiers .tl-download")]);
    const csv = parseCsv(readFileSync(await download.path(), "utf8"));
    const screen = await page.$$eval("#report-tiers tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const at = (name: string) => csv[0].indexOf(name);
    expect(csv[0].slice(0, 8)).toEqual(["tier", "label", "group", "fallback", "leads", "share", "labeled", "conversions"]);
    expect(csv.length - 1).toBe(screen.length);
    screen.forEach((cells, i) => {
      const row = csv[i + 1];
      expect(row[at("label")]).toBe(cells[0]);
      expect(Number(row[at("leads")])).toBe(Number(cells[1].replace(/,/g, "")));
      expect(Number(row[at("labeled")])).toBe(Number(cells[3].replace(/,/g, "")));
      if (cells[5] !== "–") expect((Number(row[at("rate")]) * 100).toFixed(2) + "%").toBe(cells[5]);
      expect(row[at("flags")]).toBe(cells[cells.length - 1]); // flags: the last column
      // The lift's Katz interval: the CSV's raw bounds, as the page shows them.
      const katz = row[at("lift_ci_low")] === "" ? "–" : `${Number(row[at("lift_ci_low")]).toFixed(2)}×–${Number(row[at("lift_ci_high")]).toFixed(2)}×`;
      expect(katz).toBe(cells[8]);
    });
  });
});
