// A small SQL tokenizer for the tests that prove user text reaches SQL only quoted: it splits the
// compiled SQL into quoted identifiers, string literals, bare words, numbers and symbols, decoding
// the quoted ones by the dialect's escaping rules. Outside quotes nothing but keywords, numbers and
// operators may appear — a `;`, a comment or an unknown word means text escaped its quotes.
export type Dialect = "duckdb" | "bigquery";

export type Token =
  | {kind: "ident" | "string"; text: string; value: string}
  | {kind: "word" | "number" | "symbol" | "comment"; text: string};

const BIGQUERY_ESCAPES: Record<string, string> = {n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"', "`": "`", "0": "\0"};

/** Splits SQL into tokens; throws on a character no tierlab SQL contains outside quotes. */
export function tokenize(sql: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (kind: "ident" | "string", close: string) => {
    const start = i++;
    let value = "";
    for (;;) {
      if (i >= sql.length) throw new Error(`unterminated ${kind} at ${start}: ${sql.slice(start, start + 40)}`);
      const c = sql[i];
      if (dialect === "bigquery" && c === "\\") {
        const next = sql[i + 1];
        if (!(next in BIGQUERY_ESCAPES)) throw new Error(`unknown escape \\${next} at ${i}`);
        value += BIGQUERY_ESCAPES[next];
        i += 2;
        continue;
      }
      if (c === close) {
        // DuckDB doubles the quote to escape it.
        if (dialect === "duckdb" && sql[i + 1] === close) {
          value += close;
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      value += c;
      ++i;
    }
    tokens.push({kind, text: sql.slice(start, i), value});
  };
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      ++i;
    } else if (c === "'") {
      quoted("string", "'");
    } else if (c === (dialect === "duckdb" ? '"' : "`")) {
      quoted("ident", c);
    } else if (sql.startsWith("--", i) || sql.startsWith("/*", i) || c === "#") {
      const end = c === "#" || sql[i] === "-" ? sql.indexOf("\n", i) : sql.indexOf("*/", i);
      const stop = end < 0 ? sql.length : end;
      tokens.push({kind: "comment", text: sql.slice(i, stop)});
      i = stop;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      tokens.push({kind: "word", text: m[0]});
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?(e[+-]?\d+)?/i.exec(sql.slice(i))!;
      tokens.push({kind: "number", text: m[0]});
      i += m[0].length;
    } else {
      const m = /^(<>|<=|>=|[()=<>,;.*])/.exec(sql.slice(i));
      if (!m) throw new Error(`unexpected character ${JSON.stringify(c)} outside quotes at ${i}: ${sql.slice(Math.max(0, i - 20), i + 20)}`);
      tokens.push({kind: "symbol", text: m[0]});
      i += m[0].length;
    }
  }
  return tokens;
}

/** The keywords a compiled tier CASE may contain outside quotes. */
export const CASE_KEYWORDS = new Set(["CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "TRUE", "FALSE", "STARTS_WITH"]);

/**
 * Everything that is not a keyword, a number or an operator: the quoted identifiers and literals,
 * decoded, and anything that escaped its quotes (words outside `keywords`, `;`, comments).
 */
export function classify(sql: string, dialect: Dialect, keywords: ReadonlySet<string> = CASE_KEYWORDS): {identifiers: string[]; strings: string[]; escaped: string[]} {
  const tokens = tokenize(sql, dialect);
  return {
    identifiers: tokens.flatMap((t) => (t.kind === "ident" ? [t.value] : [])),
    strings: tokens.flatMap((t) => (t.kind === "string" ? [t.value] : [])),
    escaped: tokens.flatMap((t) => ((t.kind === "word" && !keywords.has(t.text.toUpperCase())) || t.kind === "comment" || (t.kind === "symbol" && t.text === ";") ? [t.text] : []))
  };
}
