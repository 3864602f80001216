// The BigQuery path, tested through the client's interface with recorded responses (BigQuery
// itself is not reachable from these machines). Response shapes follow @google-cloud/bigquery:
// getMetadata() → [metadata], getRows() → [rows], DATE values wrapped as {value}.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromArrays, tableFromIPC, tableToIPC} from "apache-arrow";
import {describe, expect, it} from "vitest";
import {BigQueryExportError, exportBigQuery, type BigQueryLike, type ReadClientLike, type SchemaField} from "../../loaders/bigquery.js";
import {writeLeadsParquet} from "../../loaders/export.js";
import {NodeConnector} from "../../loaders/node-duckdb.js";
import {loadSource} from "../../loaders/source.js";

const FIELDS: SchemaField[] = [
  {name: "lead_id", type: "STRING"},
  {name: "contacted_date", type: "DATE"},
  {name: "target", type: "INTEGER"},
  {name: "firm_rep_count_at_contact", type: "INTEGER"},
  {name: "is_wirehouse", type: "BOOLEAN"}
];
const ROWS = [
  {lead_id: "a", contacted_date: {value: "2024-03-01"}, target: 1, firm_rep_count_at_contact: 8, is_wirehouse: false},
  {lead_id: "b", contacted_date: {value: "2024-03-02"}, target: 0, firm_rep_count_at_contact: 5000, is_wirehouse: true},
  {lead_id: "c", contacted_date: {value: "2024-03-03"}, target: null, firm_rep_count_at_contact: null, is_wirehouse: false}
];

interface Recorder {
  calls: string[];
}

function fakeBigQuery(rec: Recorder, options: {numRows: number; fail?: unknown; destination?: boolean}): BigQueryLike {
  return {
    async createQueryJob({query}) {
      rec.calls.push(`query:${query}`);
      return [
        {
          async getQueryResults() {
            return [[]];
          },
          async getMetadata() {
            return [{configuration: {query: {destinationTable: {projectId: "p", datasetId: "_anon", tableId: "anon123"}}}}];
          }
        }
      ];
    },
    dataset(id, opts) {
      return {
        table(tableId) {
          return {
            async getMetadata() {
              rec.calls.push(`metadata:${opts?.projectId}.${id}.${tableId}`);
              if (options.fail) throw options.fail;
              return [{numRows: String(options.numRows), schema: {fields: FIELDS}}];
            },
            async getRows() {
              rec.calls.push("getRows");
              return [ROWS];
            }
          };
        }
      };
    }
  };
}

function fakeReadClient(rec: Recorder, ipc: Uint8Array, dropAfter?: number): ReadClientLike {
  return {
    async createArrowTableReader({table}) {
      rec.calls.push(`storage:${table.projectId}.${table.datasetId}.${table.tableId}`);
      return {
        async getStream() {
          return (async function* () {
            const size = Math.ceil(ipc.length / 4);
            for (let i = 0, k = 0; i < ipc.length; i += size, ++k) {
              if (dropAfter !== undefined && k === dropAfter) throw Object.assign(new Error("read ECONNRESET"), {code: "ECONNRESET"});
              yield ipc.subarray(i, i + size);
            }
          })();
        },
        close() {}
      };
    },
    close() {}
  };
}

const bigIpc = tableToIPC(
  tableFromArrays({lead_id: ["x1", "x2"], contacted_date: ["2024-05-01", "2024-05-02"], target: Int8Array.from([0, 1])}),
  "stream"
);

describe("BigQuery export", () => {
  it("reads a small table as JSON rows, typed by the table schema", async () => {
    const rec = {calls: []};
    const {ipc, rows} = await exportBigQuery({table: "p.ds.leads", clients: {bigquery: fakeBigQuery(rec, {numRows: 3})}});
    expect(rows).toBe(3);
    expect(rec.calls).toEqual(["metadata:p.ds.leads", "getRows"]);
    const t = tableFromIPC(ipc);
    expect(t.getChild("lead_id")!.toArray()).toEqual(["a", "b", "c"]);
    expect(new Date(t.getChild("contacted_date")!.get(1)).toISOString().slice(0, 10)).toBe("2024-03-02");
    expect(t.getChild("target")!.get(2)).toBeNull();
    expect(t.getChild("is_wirehouse")!.get(1)).toBe(true);
  });

  it("reads a large table as Arrow through the Storage API, never as JSON rows", async () => {
    const rec = {calls: []};
    const {ipc} = await exportBigQuery({table: "p.ds.leads", clients: {bigquery: fakeBigQuery(rec, {numRows: 2_000_000}), readClient: fakeReadClient(rec, bigIpc)}});
    expect(rec.calls).toEqual(["metadata:p.ds.leads", "storage:p.ds.leads"]);
    expect(tableFromIPC(ipc).getChild("lead_id")!.toArray()).toEqual(["x1", "x2"]);
  });

  it("runs a custom query and exports its result table", async () => {
    const rec = {calls: []};
    await exportBigQuery({table: "p.ds.leads", query: "SELECT * FROM `p.ds.leads` WHERE split = 'TRAIN'", clients: {bigquery: fakeBigQuery(rec, {numRows: 3})}});
    expect(rec.calls).toEqual(["query:SELECT * FROM `p.ds.leads` WHERE split = 'TRAIN'", "metadata:p._anon.anon123", "getRows"]);
  });

  const cases: [string, unknown, RegExp][] = [
    ["no credentials", new Error("Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication"), /no usable Google credentials to read p\.ds\.leads/],
    ["table not found", Object.assign(new Error("Not found: Table p:ds.leads"), {code: 404, errors: [{reason: "notFound"}]}), /table p\.ds\.leads was not found/],
    ["permission denied", Object.assign(new Error("Access Denied: Table p:ds.leads"), {code: 403, errors: [{reason: "accessDenied"}]}), /permission denied reading p\.ds\.leads/]
  ];
  for (const [name, failure, message] of cases) {
    it(`says what went wrong: ${name}`, async () => {
      const error = await exportBigQuery({table: "p.ds.leads", clients: {bigquery: fakeBigQuery({calls: []}, {numRows: 3, fail: failure})}}).catch((e) => e);
      expect(error).toBeInstanceOf(BigQueryExportError);
      expect(error.message).toMatch(message);
    });
  }

  it("rejects a malformed table path before calling BigQuery", async () => {
    await expect(exportBigQuery({table: "leads", clients: {bigquery: fakeBigQuery({calls: []}, {numRows: 1})}})).rejects.toThrow(/not a BigQuery table path/);
  });

  it("a connection drop mid-export names the table and leaves the previous Parquet file intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-bq-"));
    const out = join(dir, "leads.parquet");
    writeFileSync(out, "previous good file");
    const conn = await NodeConnector.open();
    const rec = {calls: []};
    const error = await loadSource(conn, {kind: "bigquery", table: "p.ds.leads"}, {bigqueryClients: {bigquery: fakeBigQuery(rec, {numRows: 2_000_000}), readClient: fakeReadClient(rec, bigIpc, 2)}})
      .then(({provenance}) => writeLeadsParquet(conn, out, provenance))
      .catch((e) => e);
    conn.close();
    expect(error).toBeInstanceOf(BigQueryExportError);
    expect(error.message).toMatch(/connection dropped while exporting p\.ds\.leads; nothing was written/);
    expect(readFileSync(out, "utf8")).toBe("previous good file");
  });

  it("a successful export is validated and written with its provenance", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierlab-bq-"));
    const out = join(dir, "leads.parquet");
    const conn = await NodeConnector.open();
    const {provenance, data} = await loadSource(conn, {kind: "bigquery", table: "p.ds.leads"}, {bigqueryClients: {bigquery: fakeBigQuery({calls: []}, {numRows: 3})}});
    await writeLeadsParquet(conn, out, provenance);
    const rows = await conn.query(`SELECT lead_id, contacted_date, target, is_wirehouse FROM read_parquet('${out}') ORDER BY lead_id`);
    const meta = await conn.query(`SELECT decode(value) AS v FROM parquet_kv_metadata('${out}') WHERE decode(key) = 'tierlab.provenance'`);
    conn.close();
    expect(data.rows).toBe(3);
    expect(rows).toEqual([
      {lead_id: "a", contacted_date: "2024-03-01", target: 1, is_wirehouse: 0},
      {lead_id: "b", contacted_date: "2024-03-02", target: 0, is_wirehouse: 1},
      {lead_id: "c", contacted_date: "2024-03-03", target: null, is_wirehouse: 0}
    ]);
    expect(JSON.parse(String(meta[0].v))).toMatchObject({kind: "bigquery", source: "p.ds.leads", rows: 3});
  });
});
