// Arrow results (what DuckDB-WASM returns) → typed columns for the preview: values and NULLs
// survive several record batches and sliced (offset) data.
import {DateDay, DateMillisecond, Dictionary, makeVector, RecordBatchReader, Table, tableToIPC, Utf8, vectorFromArray, Int16, Int8, Float64} from "apache-arrow";
import {describe, expect, it} from "vitest";
import {arrowToColumns, ColumnCollector} from "../../src/components/arrowToArrays.js";

const plain = (column: {values: ArrayLike<number>; valid: Uint8Array | null}) => Array.from(column.values, (v, i) => (column.valid && !column.valid[i] ? null : v));

describe("arrowToColumns", () => {
  it("keeps values, NULLs and integer widths across record batches and offsets", () => {
    const first = vectorFromArray([1, null, 3], new Int16());
    const second = vectorFromArray([null, 5, 6, 7], new Int16()).slice(1); // offset 1: 5, 6, 7
    const ints = first.concat(second);
    const doubles = vectorFromArray([0.5, 1.5, null, 2.5, -1, 0], new Float64());
    const table = new Table({i: ints, d: doubles});
    const batch = arrowToColumns(table);
    expect(batch.rows).toBe(6);
    const i = batch.columns.get("i")!;
    expect(i.values).toBeInstanceOf(Int16Array);
    expect(plain(i)).toEqual([1, null, 3, 5, 6, 7]);
    expect(plain(batch.columns.get("d")!)).toEqual([0.5, 1.5, null, 2.5, -1, 0]);
  });

  it("marks a column without NULLs as such", () => {
    const batch = arrowToColumns(new Table({x: makeVector(new Int16Array([4, 5]))}));
    expect(batch.columns.get("x")!.valid).toBeNull();
  });

  it("refuses columns that are not plain numbers", () => {
    expect(() => arrowToColumns(new Table({s: vectorFromArray(["a", "b"], new Utf8())}))).toThrow(/s .* not a plain numeric column/);
    expect(() => arrowToColumns(new Table({t: vectorFromArray([new Date(0)], new DateMillisecond())}))).toThrow(/t .* not a plain numeric column/);
  });

  it("reads NULLs from whole bitmap bytes and from unaligned slices alike", () => {
    // 1,000 values, NULLs in runs and alone (whole bytes of 0s and 1s, and mixed ones).
    const values = Array.from({length: 1000}, (_, i) => (i % 97 < 20 || i % 13 === 0 ? null : i));
    const vector = vectorFromArray(values, new Int16());
    expect(plain(arrowToColumns(new Table({v: vector})).columns.get("v")!)).toEqual(values);
    for (const start of [16, 3]) expect(plain(arrowToColumns(new Table({v: vector.slice(start)})).columns.get("v")!)).toEqual(values.slice(start));
  });

  it("reads day dates as days since 1970-01-01 and dictionary-encoded text as its codes", () => {
    const days = vectorFromArray([new Date("1970-01-02T00:00:00Z"), null, new Date("2024-02-01T00:00:00Z")], new DateDay());
    const text = vectorFromArray(["TEST", "TRAIN", null], new Dictionary(new Utf8(), new Int8()));
    const {columns} = arrowToColumns(new Table({days, text}));
    expect(Array.from(columns.get("days")!.values)).toEqual([1, expect.any(Number), 19754]);
    expect(Array.from(columns.get("days")!.valid!)).toEqual([1, 0, 1]);
    const codes = columns.get("text")!;
    const dictionary = text.data[0].dictionary!.toArray() as string[];
    expect([dictionary[codes.values[0]], dictionary[codes.values[1]], codes.valid![2]]).toEqual(["TEST", "TRAIN", 0]);
  });

  it("gathers a result streamed in record batches (as the page reads the preview's population)", () => {
    // 5 batches of 3 rows (the last one 1 row), NULLs in some batches only: the IPC stream the
    // engine sends, read back batch by batch.
    const ints = [1, null, 3, 4, 5, 6, null, 8, 9, 10, 11, 12, 13];
    const bytes = [-1, 2, 0, null, 7, 1, 1, 0, 0, 0, 0, 0, 127];
    const doubles = ints.map((v, i) => (v === null ? null : v / 4 + i));
    const batches = [0, 3, 6, 9, 12].map((s) => new Table({i: vectorFromArray(ints.slice(s, s + 3), new Int16()), b: vectorFromArray(bytes.slice(s, s + 3), new Int8()), d: vectorFromArray(doubles.slice(s, s + 3), new Float64())}));
    const stream = tableToIPC(new Table(batches.flatMap((t) => t.batches)), "stream");
    const reader = RecordBatchReader.from(stream);
    reader.open();
    const collector = new ColumnCollector(reader.schema);
    let seen = 0;
    for (const batch of reader) {
      collector.add(batch);
      seen++;
    }
    expect(seen).toBe(5);
    const out = collector.finish();
    expect(out.rows).toBe(13);
    expect(out.columns.get("i")!.values).toBeInstanceOf(Int16Array);
    expect(out.columns.get("b")!.values).toBeInstanceOf(Int8Array);
    expect(plain(out.columns.get("i")!)).toEqual(ints);
    expect(plain(out.columns.get("b")!)).toEqual(bytes);
    expect(plain(out.columns.get("d")!)).toEqual(doubles);
  });

  it("gives empty columns for a result without rows", () => {
    const empty = new Table({x: vectorFromArray([] as number[], new Int16())});
    const out = new ColumnCollector(empty.schema).finish();
    expect(out.rows).toBe(0);
    expect(out.columns.get("x")!.values).toBeInstanceOf(Int16Array);
    expect(out.columns.get("x")!.values.length).toBe(0);
  });
});
