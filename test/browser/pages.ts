import config from "../../observablehq.config.js";

export interface SitePage {
  name: string;
  path: string;
}

type Entry = SitePage | {name: string; pages: Entry[]};

/**
 * The site's pages, from observablehq.config.ts: the one list (adding a page there and its .md file
 * puts it under every test that goes through the pages).
 */
export const SITE_PAGES: readonly SitePage[] = (config.pages as Entry[]).flatMap(function flat(e: Entry): SitePage[] {
  return "pages" in e ? e.pages.flatMap(flat) : [e];
});

/**
 * What a page shows once its data is in: every page states its population, but the Explore page,
 * whose SQL chooses its own population, shows its first query's result instead.
 */
export const readySelector = (path: string): string => (path === "/explore" ? "#query-result" : "#population-note");

/** The pages with the population controls: every page but Explore, whose SQL chooses its own population. */
export const POPULATION_PAGES: readonly SitePage[] = SITE_PAGES.filter((p) => p.path !== "/explore");
