// `tierlab report --format html`: one self-contained file (no script, no outside reference) whose
// tables, read back with JavaScript off (jsdom runs no script), hold the numbers of
// `tierlab report --format json`; the gains table's running sums are added up here by hand. Bad
// input: a PDF without Chromium is one message, exit 1, and no file.
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {JSDOM, VirtualConsole} from "jsdom";
import {afterEach, beforeAll, describe, expect, it} from "vitest";
import {runCli} from "./cli-run.js";

interface JsonTier {
  id: string;
  label: string;
  leads: number;
  labeled: number;
  conversions: number;
  rate: number | null;
}

let dir: string;
let data: string;
let html: string;
let json: {tiers: JsonTier[]; population: {leads: number; conversions: number}};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tierlab-report-html-"));
  data = join(dir, "leads.parquet");
  expect((await runCli(["generate", "--rows", "6000", "--seed", "11", "--out", data])).code).toBe(0);
  const out = join(dir, "report.html");
  const r = await runCli(["report", "--data", data, "--rules", "v3.2-consolidated", "--format", "html", "--out", out, "--compare", "v3.1", "--title", "Q4 review"]);
  expect(r.code, r.err).toBe(0);
  html = readFileSync(out, "utf8");
  const j = await runCli(["report", "--data", data, "--rules", "v3.2-consolidated", "--format", "json"]);
  json = JSON.parse(j.out);
}, 120_000);

/** The file as a browser with JavaScript off reads it (jsdom's CSS parser knows no @page margin boxes: its complaint is not a finding). */
const open = (text: string) => new JSDOM(text, {virtualConsole: new VirtualConsole()}).window.document;
const number = (text: string) => Number(text.replace(/,/g, ""));
const rows = (doc: Document, id: string) => [...doc.querySelectorAll(`#${id} tbody tr`)].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""));

describe("tierlab report --format html", () => {
  it("is one file: no script, no event handler, no reference to anything outside it", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/http/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"|@import|url\(/i);
    // Every chart is inline SVG.
    const doc = open(html);
    expect(doc.querySelectorAll("figure svg").length).toBe(3);
    expect(doc.title).toContain("Q4 review");
  });

  it("its tier table holds the numbers of --format json", () => {
    const doc = open(html);
    const shown = rows(doc, "report-tiers");
    expect(shown.length).toBe(json.tiers.length);
    json.tiers.forEach((t, i) => {
      const [label, leads, , labeled, conversions, rate] = shown[i];
      expect(label).toBe(t.label);
      expect(number(leads)).toBe(t.leads);
      expect(number(labeled)).toBe(t.labeled);
      expect(number(conversions)).toBe(t.conversions);
      expect(rate).toBe(t.rate === null ? "–" : `${(t.rate * 100).toFixed(2)}%`);
    });
  });

  it("its gains table is the JSON's tiers added up in rule order", () => {
    const doc = open(html);
    const gains = rows(doc, "report-gains");
    let leads = 0;
    let conversions = 0;
    json.tiers.forEach((t, i) => {
      leads += t.leads;
      conversions += t.conversions;
      expect(number(gains[i][1]), t.id).toBe(leads);
      expect(number(gains[i][4]), t.id).toBe(conversions);
    });
    expect(leads).toBe(json.population.leads);
  });

  it("names what it runs on, the compared rule set, and the backtest's shift", () => {
    const doc = open(html);
    const meta = doc.querySelector("#report-meta")!.textContent!;
    expect(meta).toContain("Synthetic data (seed 11), 6,000 rows");
    expect(meta).toMatch(/compared with: V3\.1/);
    expect(doc.querySelector("#report-summary")!.textContent).toMatch(/backtest period|Shifted between train and test/);
    // The page header of every printed page says the same.
    expect(html).toMatch(/@top-left \{ content: "V3\.2_12212025 vs V3\.1[^"]*Synthetic data \(seed 11\)/);
    expect(html).toContain('counter(page) " of " counter(pages)');
  });
});

describe("bad input", () => {
  afterEach(() => delete process.env.CHROMIUM_PATH);

  it("--format pdf without Chromium: one message naming it, exit 1, no file and no temp file", async () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    const out = join(dir, "no.pdf");
    const r = await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "pdf", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: tierlab report --format pdf prints with Chromium: CHROMIUM_PATH=/nonexistent/chromium not found; point CHROMIUM_PATH at a Chromium/Chrome binary, or unset it and install Debian's with "apt-get update && apt-get install -y chromium"\n`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith(".tierlab-tmp"))).toEqual([]);
  });

  it("a failing run leaves the previous file as it was", async () => {
    const out = join(dir, "kept.html");
    writeFileSync(out, "previous");
    const r = await runCli(["report", "--data", data, "--rules", "no-such-rules", "--format", "html", "--out", out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("previous");
  });

  it("--format pdf needs --out; --paper is for pdf only", async () => {
    expect((await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "pdf"])).err).toMatch(/^error: --format pdf needs --out FILE\.pdf/);
    expect((await runCli(["report", "--data", data, "--rules", "v3.2", "--format", "html", "--paper", "a4"])).code).toBe(2);
  });
});
