// Arrow results (what DuckDB-WASM returns) → typed columns for the preview: values and NULLs
// survive several record batches and sliced (offset) data.
import {makeVector, Table, vectorFromArray, Int16, Float64} from "apache-arrow";
import {describe, expect, it} from "vitest";
import {arrowToColumns} from "../../src/components/arrowColumns.js";

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
    expect(() => arrowToColumns(new Table({s: vectorFromArray(["a", "b"])}))).toThrow(/s .* not a plain numeric column/);
  });
});
