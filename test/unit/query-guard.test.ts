// The read-only check of an analyst's SQL against DuckDB's own parser: whatever checkReadOnly lets
// through, native DuckDB's json_serialize_sql (which serializes SELECT statements only) must read
// as exactly one SELECT, or fail to parse (then nothing of it runs). Tricky quoting is built from
// fragments, so a splitter that takes code for a string (or the reverse) shows.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {AnalystQueryError, checkReadOnly, withoutRepeats} from "../../src/lib/query/guard.js";
import {splitStatements} from "../../src/lib/query/statements.js";
import {literal} from "../../src/lib/sql.js";

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await conn.run("CREATE TABLE leads AS SELECT 1 AS a");
});
afterAll(() => conn.close());

/** DuckDB's verdict: "select" (one SELECT), "parse" (a syntax error), or "other" (anything else). */
async function duckdb(sql: string): Promise<"select" | "parse" | "other"> {
  const [row] = await conn.query(`SELECT json_serialize_sql(${literal(sql)}) AS j`);
  const j = JSON.parse(String(row.j));
  if (j.error) return j.error_type === "parser" ? "parse" : "other";
  return j.statements.length === 1 ? "select" : "other";
}

const accepted = (sql: string) => {
  try {
    checkReadOnly(sql);
    return true;
  } catch (error) {
    if (!(error instanceof AnalystQueryError) || !error.refused) throw error;
    return false;
  }
};

describe("checkReadOnly", () => {
  it("lets reading statements through", () => {
    for (const sql of ["SELECT 1", "  select * from leads;  ", "WITH x AS (SELECT 1) SELECT * FROM x", "FROM leads", "VALUES (1)", "DESCRIBE leads", "SUMMARIZE leads", "SHOW TABLES", "SELECT 'DROP VIEW leads; x'", 'SELECT 1 AS "drop"', "-- DROP\nSELECT 1 /* ; DELETE */", "(SELECT 1) UNION (SELECT 2)"]) {
      expect(accepted(sql), sql).toBe(true);
    }
  });

  it("refuses writes, settings and several statements, naming the word", () => {
    const cases: [string, RegExp][] = [
      ["DROP VIEW leads", /^DROP is not allowed/],
      ["create or replace view scored_leads as select 1", /^CREATE is not allowed/],
      ["WITH x AS (SELECT 1) INSERT INTO leads SELECT * FROM x", /^INSERT is not allowed/],
      ["WITH x AS (SELECT 1) DELETE FROM leads", /^DELETE is not allowed/],
      ["SET enable_external_access = true", /^SET is not allowed/],
      ["ATTACH 'x.db'", /^ATTACH is not allowed/],
      ["PIVOT leads ON a", /^PIVOT is not allowed.*SELECT \* FROM \(PIVOT …\)/],
      ["SELECT 1; SELECT 2", /^One statement at a time: this text holds 2/],
      [" ; -- nothing\n", /^The query is empty/]
    ];
    for (const [sql, message] of cases) {
      expect(() => checkReadOnly(sql), sql).toThrow(message);
    }
  });

  it("never lets through what DuckDB reads as more than one SELECT (quoting built from fragments)", async () => {
    const pieces = ["SELECT 1", "E'\\''", "'it''s'", "'\\'", "\"a\"\"b\"", "$$;$$", "$t$ ' $t$", "/* /* */", "*/", "--", "\n", ";", "DROP VIEW leads", "DELETE FROM leads", "(", ")", "'", "\"", "E'", "$$", "x"];
    let seen = 0;
    let checked = 0;
    // Deterministic pseudo-random sequences of 2–6 pieces, each starting with SELECT.
    let state = 42;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 1500; ++n) {
      const parts = ["SELECT 1"];
      for (let k = 0, len = 1 + (next() % 5); k < len; ++k) parts.push(pieces[next() % pieces.length]);
      const sql = parts.join(" ");
      seen++;
      if (!accepted(sql)) continue;
      checked++;
      expect(await duckdb(sql), sql).not.toBe("other");
    }
    expect(seen).toBe(1500);
    expect(checked).toBeGreaterThan(150); // enough accepted texts reached DuckDB's verdict
  });

  it("splits on the semicolons DuckDB splits on", () => {
    expect(splitStatements("SELECT ';'; SELECT E'\\';' ; SELECT $x$;$x$; /* ; /* ; */ ; */ SELECT \";\"").map((s) => s.text)).toEqual([
      "SELECT ';'",
      "SELECT E'\\';'",
      "SELECT $x$;$x$",
      "/* ; /* ; */ ; */ SELECT \";\""
    ]);
  });
});

describe("withoutRepeats", () => {
  it("says a repeated position block once and keeps everything else", () => {
    const block = "LINE 2: FRM leads\n        ^";
    expect(withoutRepeats(`Parser Error: syntax error at or near "FRM"\n\n${block}\n\n${block}`)).toBe(`Parser Error: syntax error at or near "FRM"\n\n${block}`);
    expect(withoutRepeats("a\n\nb\n\na")).toBe("a\n\nb\n\na");
  });
});
