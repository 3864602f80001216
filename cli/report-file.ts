/**
 * The report as one file: the self-contained HTML (the charts drawn by Plot in jsdom's document)
 * and its PDF, printed by Chromium through playwright-core (the same Chromium as the tests:
 * cli/chromium-path.ts). Both are written atomically.
 */
import {JSDOM} from "jsdom";
import {writeFileAtomic} from "../loaders/atomic.js";
import {reportCharts} from "../src/components/reportCharts.js";
import type {ReportData} from "../src/lib/report/data.js";
import {reportDocument} from "../src/lib/report/document.js";
import {reportSectionsHtml, type ReportCharts} from "../src/lib/report/html.js";
import {CHROMIUM_ARGS, chromiumProblem, DEFAULT_CHROMIUM_PATH} from "./chromium-path.js";

/** Chromium is needed and cannot be used (one message naming it and how to get it). */
export class ChromiumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChromiumError";
  }
}

/** The charts as SVG text, drawn in a document of jsdom's (Plot needs one). */
export function nodeReportCharts(data: ReportData): ReportCharts {
  const {window} = new JSDOM("<!doctype html><html><body></body></html>");
  return reportCharts(data, window.document);
}

/** The report file's HTML. */
export function reportFileHtml(data: ReportData): string {
  return reportDocument(data, nodeReportCharts(data));
}

/** The report's body for the site's page (the data loader's fragment). */
export function reportFragmentHtml(data: ReportData): string {
  return reportSectionsHtml(data, nodeReportCharts(data));
}

export const PAPER = ["a4", "letter"] as const;
export type Paper = (typeof PAPER)[number];

/** Where Chromium is, read when it is needed (CHROMIUM_PATH, else Debian's). */
function chromiumPath(): {path: string; fromEnv: boolean} {
  const fromEnv = Boolean(process.env.CHROMIUM_PATH);
  return {path: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH, fromEnv};
}

/** The Chromium to print with; a {@link ChromiumError} naming the requirement when there is none. */
export function requireChromium(): string {
  const {path, fromEnv} = chromiumPath();
  const problem = chromiumProblem(path, fromEnv, "tierlab report --format pdf prints with Chromium");
  if (problem) throw new ChromiumError(problem);
  return path;
}

/**
 * Prints HTML to a PDF file with Chromium, atomically. Chromium draws the page header and the page
 * numbers from the HTML's @page margin boxes (src/lib/report/html.ts pageMarginCss).
 */
export async function writePdf(html: string, target: string, paper: Paper): Promise<void> {
  const path = requireChromium();
  const {chromium} = await import("playwright-core");
  let browser: import("playwright-core").Browser;
  try {
    browser = await chromium.launch({executablePath: path, args: CHROMIUM_ARGS, headless: true});
  } catch (error) {
    throw new ChromiumError(`tierlab report --format pdf prints with Chromium, and ${path} did not start: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    const page = await browser.newPage();
    // Nothing outside the file is fetched (it references nothing; this makes sure).
    await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
    await page.setContent(html, {waitUntil: "load"});
    await page.emulateMedia({media: "print"});
    const pdf = await page.pdf({format: paper === "a4" ? "A4" : "Letter", printBackground: true, preferCSSPageSize: false});
    await writeFileAtomic(target, pdf);
  } finally {
    await browser.close();
  }
}

