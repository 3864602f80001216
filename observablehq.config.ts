// Observable Framework configuration. Everything is served from this machine: no Google Fonts,
// no CDN (every library is imported explicitly from node_modules in the pages).
import {readSiteConfig} from "./loaders/site-config.js";
import {FAVICON_LINK} from "./src/lib/favicon.js";

export default {
  root: "src",
  // TIERLAB_DIST lets tests build a differently configured site beside the default one.
  output: process.env.TIERLAB_DIST || "dist",
  title: readSiteConfig(import.meta.dirname).title,
  pages: [
    {name: "Overview", path: "/"},
    {name: "Tier criteria", path: "/tiers"},
    {name: "Signals", path: "/signals"},
    {name: "Backtest", path: "/backtest"},
    {name: "Report", path: "/report"},
    {name: "Explore", path: "/explore"}
  ],
  // The default adds a Google Fonts stylesheet; the site must build and open with no network.
  globalStylesheets: [],
  // Start the DuckDB-WASM engine while the page's modules load (see src/components/engineBoot.ts).
  // The report page shows numbers computed at build time: it starts the engine only for a link
  // that asks for other rules (src/report.md). The icon is inline: no request for /favicon.ico.
  head: ({path}: {path: string}) => FAVICON_LINK + (path === "/404" || path === "/report" ? "" : `<script type="module" src="/components/engineBoot.js"></script>`),
  footer: "tierlab: rules-based lead-scoring tiers, computed in your browser with DuckDB-WASM.",
  theme: ["air", "near-midnight"],
  style: "style.css",
  search: false,
  linkify: true,
  preserveExtension: true
};
