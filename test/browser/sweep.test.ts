// The tier page's sensitivity charts: a threshold's chart shows the points `tierlab sweep` gives
// for the same tier and condition on the published Parquet file (the CLI's own path: SQL on native
// DuckDB), in its table and in its CSV; clicking a point sets the threshold in the editor, and the
// tier table then shows that point's numbers. Offline, without console errors.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {parseCsv} from "../csv-records.js";
import {runCli} from "../support/cli.js";
import type {SweepPoint} from "../../src/lib/tiers/sweep.js";
import {launchChromium, watchedPage} from "./chromium.js";
import {distLeadsParquet} from "./dist-files.js";

/** A point as `tierlab sweep` prints it (the library's point without liftVsFallback). */
type Point = Omit<SweepPoint, "liftVsFallback">;

/** `tierlab sweep … --format F` on the site's published Parquet file (rules: the site's, unless given). */
async function cli(format: "json" | "md", ...args: string[]): Promise<string> {
  const rules = args.includes("--rules") ? [] : ["--rules", "v3.2-consolidated"];
  const {code, out, err} = await runCli(["sweep", "--data", distLeadsParquet(inject("distDir")), ...rules, "--format", format, ...args]);
  if (code !== 0) throw new Error(`tierlab sweep failed (${code}): ${err}`);
  return out;
}

const cellTexts = (page: Page, selector: string) =>
  page.$$eval(`${selector} tbody tr`, (rows) => rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim())));

/** The Markdown table's body rows as cell texts. */
const markdownRows = (md: string) =>
  md
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| value"))
    .map((l) => l.slice(2, -2).split(" | ").map((c) => c.trim()));

/** The tier table's leads, labeled and conversions of one tier (by label). */
async function tierCounts(page: Page, label: string): Promise<number[]> {
  const rows = await cellTexts(page, "#tier-table");
  const row = rows.find((r) => r[0] === label);
  return row ? [row[1], row[3], row[4]].map((t) => Number(t.replace(/,/g, ""))) : [];
}

/** Opens a threshold's chart and waits for its points. */
async function openChart(page: Page, input: string) {
  await page.click(`[aria-label="sensitivity of ${input.replace(/^tier /, "")}"]`);
  const panel = page.locator(".tl-sweep:not([hidden])");
  await expect.poll(() => panel.getAttribute("data-state"), {timeout: 30_000}).toBe("ready");
  return panel;
}

/** The chart's points from its CSV (raw numbers), as the JSON's points. */
async function downloadedPoints(page: Page): Promise<Point[]> {
  const table = page.locator(".tl-sweep:not([hidden]) details.tl-sweep-table");
  if (!(await table.evaluate((d) => (d as HTMLDetailsElement).open))) await table.locator("> summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(".tl-sweep:not([hidden]) .tl-download")]);
  const [header, ...rows] = parseCsv(readFileSync(await download.path(), "utf8"));
  expect(header).toEqual(["value", "current", "leads", "labeled", "conversions", "rate", "ci_low", "ci_high", "lift"]);
  const num = (text: string) => (text === "" ? null : Number(text));
  return rows.map((r) => ({value: Number(r[0]), leads: Number(r[2]), labeled: Number(r[3]), conversions: Number(r[4]), rate: num(r[5]), ci: [num(r[6]), num(r[7])], lift: num(r[8])}));
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe("the sensitivity charts of the tier page", () => {
  it("a threshold's points equal tierlab sweep; clicking one sets the threshold and the tier table follows", async () => {
    const {page, errors, external} = await watchedPage(browser, {width: 1400, height: 1000});
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    expect(await page.locator(".tl-sweep:not([hidden])").count()).toBe(0); // (nothing computed before it is asked for)

    // Tier 1's firm size (list 2: firm_rep_count_at_contact ≤ 10), condition 2.2 for the CLI.
    const input = "tier TIER_1_PRIME_MOVER alternative 2 condition 2 value";
    const panel = await openChart(page, input);
    expect([await panel.getAttribute("data-tier"), await panel.getAttribute("data-condition"), await panel.getAttribute("data-bound"), await panel.getAttribute("data-counted-by")]).toEqual(["TIER_1_PRIME_MOVER", "2.2", "", "loop"]);
    const json = JSON.parse(await cli("json", "--tier", "TIER_1_PRIME_MOVER", "--condition", "2.2"));
    expect(json.current).toBe(10);
    const points = await downloadedPoints(page);
    expect(points).toEqual(json.points);
    // The table on screen: the CLI's Markdown, header and rows, cell for cell (one column spec).
    const md = await cli("md", "--tier", "TIER_1_PRIME_MOVER", "--condition", "2.2");
    expect(await page.$$eval(".tl-sweep:not([hidden]) .tl-table-block thead th", (ths) => ths.map((th) => th.textContent!.trim()))).toEqual(
      md.split("\n").find((l) => l.startsWith("| value"))!.slice(2, -2).split(" | ")
    );
    expect(await cellTexts(page, ".tl-sweep:not([hidden]) .tl-table-block")).toEqual(markdownRows(md));

    // Click a point (its dot on the leads chart) that gives Tier 1 other numbers than today's.
    const before = await tierCounts(page, "Prime Mover");
    expect(before).toEqual((({leads, labeled, conversions}) => [leads, labeled, conversions])(json.points.find((p: Point) => p.value === 10)));
    await panel.locator("svg.tl-sweep-chart").nth(1).scrollIntoViewIfNeeded();
    const dots = await panel.locator('svg.tl-sweep-chart circle[aria-label^="leads at v = "]').evaluateAll((circles) => circles.map((c) => c.getBoundingClientRect()).map((r) => [r.x + r.width / 2, r.y + r.height / 2]));
    expect(dots.length).toBe(points.length);
    // (Apart from its neighbours, so the pointer cannot take one of them.)
    const pick = points.findIndex((p, i) => p.value > 10 && p.leads !== before[0] && Math.min(dots[i][0] - (dots[i - 1]?.[0] ?? -Infinity), (dots[i + 1]?.[0] ?? Infinity) - dots[i][0]) > 4);
    expect(pick).toBeGreaterThan(0);
    const point = points[pick];
    const address = page.url();
    await page.mouse.move(dots[pick][0] - 20, dots[pick][1]);
    await panel.locator(`svg.tl-sweep-chart circle[aria-label="leads at v = ${point.value}"]`).click({force: true});
    expect(await page.inputValue(`[aria-label="${input}"]`)).toBe(String(point.value));
    await expect.poll(() => tierCounts(page, "Prime Mover"), {timeout: 15_000}).toEqual([point.leads, point.labeled, point.conversions]);
    await expect.poll(() => page.url(), {timeout: 5_000}).not.toBe(address); // (the address holds the edit, written after a pause)
    // The chart follows: today's value is the clicked one.
    await expect.poll(async () => [await panel.getAttribute("data-state"), await panel.getAttribute("data-current")], {timeout: 15_000}).toEqual(["ready", String(point.value)]);
    await page.screenshot({path: "scratch/sweep-chart.png"}).catch(() => {});

    // Undo puts 10 back, and the tier table's numbers with it.
    await page.click('[aria-label="undo"]');
    expect(await page.inputValue(`[aria-label="${input}"]`)).toBe("10");
    await expect.poll(() => tierCounts(page, "Prime Mover"), {timeout: 15_000}).toEqual(before);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("each end of a range has its own curve: Moderate Bleeder's net change, upper end", async () => {
    const {page, errors, external} = await watchedPage(browser, {width: 1400, height: 1000});
    await page.goto(inject("baseUrl") + "/tiers");
    await page.waitForSelector("#tier-table tbody tr", {timeout: 60_000});
    const panel = await openChart(page, "tier TIER_3_MODERATE_BLEEDER condition 1 maximum");
    expect([await panel.getAttribute("data-condition"), await panel.getAttribute("data-bound")]).toEqual(["1", "high"]);
    const json = JSON.parse(await cli("json", "--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "high"));
    expect(await downloadedPoints(page)).toEqual(json.points);
    expect(await panel.locator(".tl-sweep-title").textContent()).toContain("firm_net_change_12mo between -10 and v");
    // An edit elsewhere in the rules moves the curve (Proven Mover takes more leads first): the chart is recomputed.
    await page.fill('[aria-label="tier TIER_2_PROVEN_MOVER condition 1 value"]', "2");
    await page.dispatchEvent('[aria-label="tier TIER_2_PROVEN_MOVER condition 1 value"]', "change");
    const edited = JSON.parse(await cli("json", "--tier", "TIER_3_MODERATE_BLEEDER", "--condition", "1", "--bound", "high", "--rules", provenMoverFrom(2)));
    expect(edited.points).not.toEqual(json.points);
    // (New content: the table's leads become the edited rules'; then every number, from the CSV.)
    await expect.poll(async () => (await cellTexts(page, ".tl-sweep:not([hidden]) .tl-table-block")).map((r) => r[2]), {timeout: 15_000}).toEqual(edited.points.map((p: Point) => p.leads.toLocaleString("en-US")));
    expect(await panel.getAttribute("data-state")).toBe("ready");
    expect(await downloadedPoints(page)).toEqual(edited.points);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});

/** The site's rules with Proven Mover's first condition at `num_prior_firms >= n`, in a file. */
function provenMoverFrom(n: number): string {
  const rules = JSON.parse(readFileSync("data/rules/v3.2-consolidated.json", "utf8"));
  const tier = rules.tiers.find((t: {id: string}) => t.id === "TIER_2_PROVEN_MOVER");
  expect(tier.when[0]).toEqual({column: "num_prior_firms", gte: 3});
  tier.when[0].gte = n;
  const file = join(mkdtempSync(join(tmpdir(), "tierlab-sweep-page-")), "rules.json");
  writeFileSync(file, JSON.stringify(rules));
  return file;
}
