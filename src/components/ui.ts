/** Small DOM helpers shared by the pages: downloads, KPI cards, error boxes (tables: ./table.ts). */
import {html} from "htl";

/** Saves text as a file in the browser. */
export function download(text: string, filename: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A KPI card: a big number, a label and a note (e.g. n or the interval). */
export function kpi(label: string, value: string, note = ""): HTMLElement {
  return html`<div class="card tl-kpi"><h2>${label}</h2><span class="big">${value}</span><div class="tl-note">${note}</div></div>`;
}

/** A visible error: the message, and the SQL when there is one. */
export function errorBox(error: unknown, title = "Something went wrong"): HTMLElement {
  const e = error as {message?: string; sql?: string; issues?: string[]};
  return html`<div class="tl-error" role="alert"><strong>${title}</strong>
    <div>${String(e?.message ?? error)}</div>
    ${e?.issues?.length ? html`<ul>${e.issues.map((i) => html`<li>${i}</li>`)}</ul>` : ""}
    ${e?.sql ? html`<details><summary>SQL</summary><pre>${e.sql}</pre></details>` : ""}
  </div>`;
}
