/** Tables declared once as column specs, rendered to Markdown and CSV here and to HTML in src/components/table.ts. */
export {table, columnValue, shownColumns, headerLabels, columnAlign, cellText, csvFields, csvHeader, intervalCsv, snakeCase, type Accessor, type Column, type CsvField, type TableSpec} from "./spec.js";
export {markdownTable, mdCell} from "./markdown.js";
export {csvField, csvTable} from "./csv.js";
export {htmlTable, escapeHtml, cellClass, type HtmlTableOptions} from "./html.js";
