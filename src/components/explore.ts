/**
 * The Explore page's SQL box: the query (from the address, an example, or typed), Run (or
 * Ctrl/Cmd-Enter), the columns of `leads` beside it, and the result below (sqlTable.ts). Its value
 * is the last good result (the quick chart reads it). A query that arrives in a link is shown and
 * runs only when Run is pressed; a failed query shows the engine's message and the SQL and keeps
 * the last good result.
 */
import {html} from "htl";
import {AnalystQueryError} from "../lib/query/guard.js";
import type {RuleSet} from "../lib/rules/types.js";
import {literal} from "../lib/sql.js";
import {runQuery, type BrowserResult, type QuerySession} from "./sqlEngine.js";
import {sqlTable} from "./sqlTable.js";

type ExploreInput = HTMLElement & {value: BrowserResult | null};

/** The address's query parameter that holds the SQL (the workbench state stays in `#s=`). */
export const QUERY_PARAM = "q";

/** The examples to start from, for the current rule set. */
export function examples(rules: RuleSet): {label: string; sql: string}[] {
  const first = rules.tiers[0]?.id ?? rules.fallback.id;
  return [
    {
      label: "Tier counts (current rules)",
      sql: `SELECT tier, COUNT(*) AS leads, COUNT(target) AS labeled, SUM(target) AS conversions,\n  ROUND(AVG(target), 4) AS rate\nFROM scored_leads\nGROUP BY tier\nORDER BY tier`
    },
    {
      label: "Conversion by industry tenure band",
      sql: `SELECT FLOOR(industry_tenure_months / 60) * 5 AS industry_years_from,\n  COUNT(*) AS leads, COUNT(target) AS labeled, ROUND(AVG(target), 4) AS rate\nFROM leads\nGROUP BY ALL\nORDER BY industry_years_from`
    },
    {label: `The leads of ${first}`, sql: `SELECT *\nFROM scored_leads\nWHERE tier = ${literal(first)}\nORDER BY contacted_date`}
  ];
}

/** The message of a failed query, the engine's position marks kept aligned (pre), and the SQL. */
function failureBox(error: unknown, sql: string): HTMLElement {
  const refused = error instanceof AnalystQueryError && error.refused;
  const message = error instanceof Error ? error.message : String(error);
  return html`<div class="tl-error" role="alert" id="query-error"><strong>${refused ? "This query was not run" : "The query failed"}</strong>
    <pre class="tl-sql-message">${message}</pre>
    <div class="tl-note">SQL:</div><pre class="tl-sql-echo">${sql}</pre>
    <div class="tl-note">The result below is the last query that ran.</div></div>` as HTMLElement;
}

export function exploreBox(session: QuerySession, rules: RuleSet): ExploreInput {
  const fromLink = new URL(location.href).searchParams.get(QUERY_PARAM);
  const starters = examples(rules);
  const box = html`<textarea id="sql-box" class="tl-sql-box" rows="8" spellcheck="false" aria-label="SQL"></textarea>` as HTMLTextAreaElement;
  box.value = fromLink ?? starters[0].sql;
  const run = html`<button type="button" id="run-query">Run</button>` as HTMLButtonElement;
  const status = html`<span class="tl-note" id="query-status" aria-live="polite">${fromLink === null ? "" : "This query came with the link: read it, then press Run to run it."}</span>` as HTMLElement;
  const problem = html`<div id="query-problem"></div>` as HTMLElement;
  const output = html`<div id="query-output"></div>` as HTMLElement;
  const columns = html`<div class="tl-sql-columns" id="leads-columns"><div class="tl-note"><strong>leads</strong> (${session.columns.length} columns)</div>
    <table class="tl-table"><tbody>${session.columns.map((c) => html`<tr><td><code>${c.name}</code></td><td class="tl-muted">${c.type}</td></tr>`)}</tbody></table>
    <div class="tl-note">${session.noScored === null ? html`<strong>scored_leads</strong>: leads plus <code>tier</code>, by ${rules.name}` : `no scored_leads: ${session.noScored}`}</div></div>`;
  const exampleButtons = starters.map((e) => {
    const button = html`<button type="button" class="tl-example">${e.label}</button>` as HTMLButtonElement;
    button.onclick = () => {
      box.value = e.sql;
      void execute();
    };
    return button;
  });

  const root = html`<div class="tl-explore">
    <div class="tl-sql-editor"><div class="tl-note">Examples: ${exampleButtons}</div>${box}<div>${run} <span class="tl-note">or Ctrl/Cmd-Enter</span> ${status}</div></div>
    ${columns}
  </div>` as HTMLElement;
  const input = html`<div>${root}${problem}${output}</div>` as ExploreInput;
  input.value = null;

  let running = 0;
  async function execute(): Promise<void> {
    const sql = box.value;
    const ticket = ++running;
    run.disabled = true;
    status.textContent = "Running…";
    try {
      const result = await runQuery(session.conn, sql);
      if (ticket !== running) return;
      problem.replaceChildren();
      output.replaceChildren(sqlTable(result, {csvName: "explore.csv", id: "query-result"}));
      status.textContent = "";
      input.value = result;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    } catch (error) {
      if (ticket !== running) return;
      status.textContent = "";
      problem.replaceChildren(failureBox(error, sql));
    } finally {
      if (ticket === running) run.disabled = false;
    }
    // The address holds the query that was run, so a copied link reopens it (shown, not run).
    const url = new URL(location.href);
    url.searchParams.set(QUERY_PARAM, sql);
    history.replaceState(history.state, "", url.href);
  }
  run.onclick = () => void execute();
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void execute();
    }
  });
  // The site's own first example runs at once; a query from a link waits for Run.
  if (fromLink === null) void execute();
  return input;
}
