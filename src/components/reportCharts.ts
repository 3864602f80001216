/**
 * The report's three charts as SVG text, drawn by the page's chart functions in a given document:
 * the page's own when the report is computed live, jsdom's in Node (the site's data loader and
 * `tierlab report --format html|pdf`). Plot's tips need script, so a static chart has none; its
 * table is on the page.
 */
import type {ReportData} from "../lib/report/data.js";
import type {ReportCharts} from "../lib/report/html.js";
import {gainsCurveChart, liftChart} from "./gainsCharts.js";
import {tierRateChart} from "./tierChart.js";

/** The width the charts are drawn at; they scale down with the page (Plot's SVG has a viewBox). */
const WIDTH = 640;

export function reportCharts(data: ReportData, document: Document): ReportCharts {
  const report = data.comparison.current;
  const labels = new Map(report.tiers.map((t) => [t.id, t.label]));
  const svg = (node: Element) => node.outerHTML;
  return {
    tierRates: svg(tierRateChart(report.tiers, {width: WIDTH, baseline: report.population.rate, document})),
    gainsCurve: svg(gainsCurveChart(report.gains, labels, {width: 420, document})),
    lift: svg(liftChart(report.gains, labels, {width: 420, document}))
  };
}
