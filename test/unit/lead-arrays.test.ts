// A column read a chunk at a time (readChunk, valueRange, columnDistribution) must give what a
// plain pass over the column gives, whatever the kind of array, across chunk boundaries and NULLs.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {CHUNK, chunkScratch, columnDistribution, readChunk, valueRange, type TypedColumn} from "../../src/lib/lead-arrays.js";

const KINDS = [Int8Array, Int16Array, Int32Array, Float64Array, Array] as const;

/** A column of `kind` holding `values` (null = NULL, its slot holding `filler`). */
function columnOf(kind: (typeof KINDS)[number], values: readonly (number | null)[], filler: number): TypedColumn {
  const numbers = values.map((v) => v ?? filler);
  const data: ArrayLike<number> = kind === Array ? numbers : (kind as typeof Float64Array).from(numbers);
  return {values: data, valid: values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null};
}

/** Up to three chunks and a bit (the length drawn uniformly: fast-check keeps arrays short otherwise). */
const cells = fc.integer({min: 0, max: 3 * CHUNK + 17}).chain((n) => fc.array(fc.option(fc.integer({min: -100, max: 100}), {freq: 5}), {minLength: n, maxLength: n}));

describe("reading a column a chunk at a time", () => {
  it("readChunk copies any rows as doubles, with 0/1 presence", () => {
    const column = columnOf(Int16Array, [5, null, -3, 7], 99);
    const scratch = chunkScratch();
    expect(readChunk(column, 1, 4, scratch)).toBe(3);
    expect([...scratch.values.subarray(0, 3)]).toEqual([99, -3, 7]);
    expect([...scratch.valid.subarray(0, 3)]).toEqual([0, 1, 1]);
    expect(readChunk({values: [1.5, 2.5], valid: null}, 0, 2, scratch)).toBe(2);
    expect([...scratch.values.subarray(0, 2)]).toEqual([1.5, 2.5]);
    expect([...scratch.valid.subarray(0, 2)]).toEqual([1, 1]);
  });

  it("valueRange and columnDistribution equal a plain pass, for every kind of array and any length", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), cells, fc.integer({min: -120, max: 120}), fc.nat(), (kind, values, filler, cut) => {
        const column = columnOf(kind, values, filler);
        // (Rows: all of them, or a prefix.)
        const rows = values.length === 0 ? 0 : values.length - (cut % Math.min(values.length, 50));
        const present = values.slice(0, rows).filter((v): v is number => v !== null);
        const range = valueRange(column, rows);
        expect(range).toEqual({present: present.length, min: present.length ? Math.min(...present) : Infinity, max: present.length ? Math.max(...present) : -Infinity, integers: true});
        const counts = new Map<number, number>();
        for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
        const distinct = [...counts.keys()].sort((a, b) => a - b);
        const d = columnDistribution(column, rows);
        expect([...d.values]).toEqual(distinct);
        expect([...d.counts]).toEqual(distinct.map((v) => counts.get(v)));
      }),
      {numRuns: 60, seed: 20261203}
    );
  });

  it("whole numbers spread too widely for a histogram, and fractions, are sorted instead", () => {
    const wide = columnOf(Float64Array, [1e9, null, -1e9, 1e9, 0.5], 0);
    expect(valueRange(wide)).toEqual({present: 4, min: -1e9, max: 1e9, integers: false});
    const d = columnDistribution(wide, 5);
    expect([...d.values]).toEqual([-1e9, 0.5, 1e9]);
    expect([...d.counts]).toEqual([1, 1, 2]);
    const whole = columnOf(Int32Array, [2e9, -2e9, 2e9], 0);
    expect([...columnDistribution(whole, 3).values]).toEqual([-2e9, 2e9]);
  });
});
