/**
 * How the report prints (A4 or US Letter, portrait), shared by the report file and the site's
 * report page: every table fits the page width (smaller type, headers that wrap, intervals that
 * break after their dash; the widest, the tier table, drops to 6.5 pt), and no table, chart or
 * caption is split across pages. The margin boxes (header line, page N of M) are ./html.ts
 * pageMarginCss, since their text is the report's.
 */
export const REPORT_PRINT_CSS = `@media print {
  .tl-report .tl-table { font-size: 7.5pt; width: 100%; table-layout: auto; }
  .tl-report #report-tiers .tl-table, .tl-report #report-migration .tl-table { font-size: 6.5pt; }
  .tl-report .tl-table th { font-size: inherit; white-space: normal; overflow-wrap: break-word; }
  .tl-report .tl-table td.interval { white-space: normal; }
  .tl-report .tl-table th, .tl-report .tl-table td { padding: 1.5pt 2pt; }
  .tl-report .tl-table-wrap { overflow: visible !important; background: none !important; }
  .tl-report .tl-table-block, .tl-report figure, .tl-report svg, .tl-report .card, .tl-report ul { break-inside: avoid; }
  .tl-report h2, .tl-report figcaption, .tl-report caption { break-after: avoid; }
  .tl-report .tl-report-charts { display: block; }
  .tl-report figure svg { max-width: 100% !important; height: auto !important; }
  .tl-report .tl-report-charts figure { display: inline-block; width: 48%; vertical-align: top; }
  .tl-download, .tl-noprint { display: none !important; }
}`;

/** The report file's own styles (it has no site theme): type, tables, charts' colours. */
export const REPORT_FILE_CSS = `:root {
  --theme-foreground: #1b1e23; --theme-foreground-muted: #6d6d6d; --theme-foreground-faint: #c9c9c9;
  --theme-foreground-faintest: #e8e8e8; --theme-foreground-focus: #3b5fc0; --theme-background: #fff; --theme-background-alt: #f8f8f8;
}
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--theme-foreground); background: var(--theme-background); margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
p, li { max-width: 70em; }
.card { background: var(--theme-background-alt); border: solid 1px var(--theme-foreground-faintest); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.tl-meta { font-size: 13px; line-height: 1.6; }
.tl-note { font-size: 12px; color: var(--theme-foreground-muted); }
.tl-table-block { margin: 0.5rem 0 1rem; max-width: 100%; }
.tl-table-wrap { overflow-x: auto; max-width: 100%; }
.tl-table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 12px; line-height: 1.35; width: 100%; }
.tl-table th, .tl-table td { padding: 3px 4px; border-bottom: solid 1px var(--theme-foreground-faintest); vertical-align: top; }
.tl-table th:first-child, .tl-table td:first-child { padding-left: 0; }
.tl-table th { text-align: left; font-weight: 600; font-size: 11.5px; border-bottom: solid 1px var(--theme-foreground-faint); vertical-align: bottom; }
.tl-table .num { text-align: right; }
.tl-table td.num, .tl-table td.nowrap { white-space: nowrap; }
.tl-table .tl-half { display: inline-block; }
.tl-table caption { caption-side: top; text-align: left; color: var(--theme-foreground-muted); font-size: 12px; }
.tl-table tr.fallback td { color: var(--theme-foreground-muted); }
.tl-pass { color: #15803d; font-weight: 600; }
.tl-fail { color: #b91c1c; font-weight: 600; }
.tl-muted { color: var(--theme-foreground-muted); }
figure { margin: 8px 0 16px; }
figcaption { font-size: 12px; color: var(--theme-foreground-muted); }
figure svg { max-width: 100%; height: auto; }
.tl-report-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
`;
