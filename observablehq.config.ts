// Observable Framework configuration. Everything is served from this machine: no Google Fonts,
// no CDN (every library is imported explicitly from node_modules in the pages).
import {readSiteConfig} from "./loaders/site-config.js";

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
    {name: "Report", path: "/report"}
  ],
  // The default adds a Google Fonts stylesheet; the site must build and open with no network.
  globalStylesheets: [],
  // Start the DuckDB-WASM engine while the page's modules load (see src/components/engineBoot.ts).
  head: ({path}: {path: string}) => (path === "/404" ? "" : `<script type="module" src="/components/engineBoot.js"></script>`),
  footer: "tierlab: rules-based lead-scoring tiers, computed in your browser with DuckDB-WASM.",
  theme: ["air", "near-midnight"],
  style: "style.css",
  search: false,
  linkify: true,
  preserveExtension: true
};
