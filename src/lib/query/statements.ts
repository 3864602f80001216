/**
 * The statements of an analyst's SQL and their top-level words, read the way DuckDB's scanner
 * reads SQL: '…' strings ('' inside), E'…' strings (backslash escapes too), "…" identifiers,
 * $tag$…$tag$ strings, -- line comments and /* … *\/ block comments (nested, as in DuckDB). What
 * is inside those is never taken for a keyword; what is outside, at parenthesis depth 0, is a
 * statement's top level. The browser's DuckDB-WASM has no JSON extension (json_serialize_sql),
 * and nothing may be downloaded, so this is the one check both engines run.
 */

export interface Statement {
  /** The statement's text, trimmed. */
  text: string;
  /** Its words outside strings, identifiers, comments and parentheses, upper-cased, in order. */
  words: string[];
  /** Its first word at any depth (`(SELECT 1) UNION …` starts with SELECT), upper-cased; "" if none. */
  first: string;
}

/** Splits SQL at top-level `;` into non-empty statements. An unterminated string or comment runs to the end. */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let start = 0;
  let depth = 0;
  let words: string[] = [];
  let first = "";
  let meaningful = false;
  const end = (at: number) => {
    if (meaningful) statements.push({text: sql.slice(start, at).trim(), words, first});
    start = at + 1;
    words = [];
    first = "";
    meaningful = false;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === "/" && next === "*") {
      let nesting = 1;
      i += 2;
      while (i < sql.length && nesting > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") (nesting++, (i += 2));
        else if (sql[i] === "*" && sql[i + 1] === "/") (nesting--, (i += 2));
        else i++;
      }
    } else if (c === "'") {
      // E'…' (an E right before the quote, not ending a longer word) also ends only at an unescaped quote.
      const escapes = /[eE]/.test(sql[i - 1] ?? "") && !/[A-Za-z0-9_$]/.test(sql[i - 2] ?? "");
      i++;
      while (i < sql.length) {
        if (escapes && sql[i] === "\\") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      meaningful = true;
    } else if (c === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
      meaningful = true;
    } else if (c === "$" && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i)) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? "")) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
      meaningful = true;
    } else if (c === "(") {
      depth++;
      i++;
      meaningful = true;
    } else if (c === ")") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ";" && depth === 0) {
      end(i);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      if (depth === 0) words.push(word.toUpperCase());
      if (!first && !meaningfulBefore(sql, start, i)) first = word.toUpperCase();
      i += word.length;
      meaningful = true;
    } else {
      if (!/\s/.test(c)) meaningful = true;
      i++;
    }
  }
  end(sql.length);
  return statements;
}

/** Whether anything but blanks, comments and opening parentheses comes before `at` in the statement. */
function meaningfulBefore(sql: string, start: number, at: number): boolean {
  return !/^(\s|\(|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*$/.test(sql.slice(start, at));
}
