/**
 * The report as one self-contained HTML file (`tierlab report --format html`, and what its PDF
 * prints): inline CSS, the charts as inline SVG, no script and no reference to anything outside it.
 */
import {FAVICON_LINK} from "../favicon.js";
import {escapeHtml as esc} from "../table/index.js";
import type {ReportData} from "./data.js";
import {pageMarginCss, reportSectionsHtml, rulesTitle, type ReportCharts} from "./html.js";
import {REPORT_FILE_CSS, REPORT_PRINT_CSS} from "./print.js";

export function reportDocument(data: ReportData, charts: ReportCharts): string {
  const title = `${data.title}: tier validation report`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tierlab report">
${FAVICON_LINK}
<title>${esc(title)} (${esc(rulesTitle(data))})</title>
<style>
${REPORT_FILE_CSS}
${REPORT_PRINT_CSS}
${pageMarginCss(data)}
</style>
</head>
<body>
<main class="tl-report">
<h1>${esc(title)}</h1>
${reportSectionsHtml(data, charts)}
</main>
</body>
</html>
`;
}
