import {chromium, type Browser, type Page} from "playwright-core";
import {CHROMIUM_ARGS, CHROMIUM_PATH} from "./chromium-path.js";

export {CHROMIUM_ARGS, CHROMIUM_PATH};

/** Debian's Chromium, headless, through playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true});
}

export interface Watched {
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Requests to any host other than 127.0.0.1 (each is aborted). */
  external: string[];
}

/** Opens a page that records console errors and blocks (and records) every non-local request. */
export async function watchedPage(browser: Browser, options: {width?: number; height?: number; acceptDownloads?: boolean} = {}): Promise<Watched> {
  const context = await browser.newContext({viewport: {width: options.width ?? 1280, height: options.height ?? 900}, acceptDownloads: options.acceptDownloads ?? true});
  const page = await context.newPage();
  const errors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "blob:" || url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  return {page, errors, external};
}
