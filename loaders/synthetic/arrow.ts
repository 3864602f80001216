/**
 * Arrow vectors straight from typed arrays (no row objects, no per-value builders), so millions of
 * rows become a table in milliseconds.
 */
import {DateDay, Float64, Int16, Int32, Int8, makeData, makeVector, Utf8, type Vector} from "apache-arrow";

type IntArray = Int8Array | Int16Array | Int32Array;

/** A validity bitmap (bit set = valid) marking `isNull(i)` rows NULL, or undefined if there are none. */
function validity(length: number, isNull: (i: number) => boolean): {nullBitmap?: Uint8Array; nullCount: number} {
  let nullCount = 0;
  const bitmap = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; ++i) {
    if (isNull(i)) ++nullCount;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  return nullCount === 0 ? {nullCount} : {nullBitmap: bitmap, nullCount};
}

/** An integer vector; values equal to `nullValue` (if given) become NULL. */
export function intVector(values: IntArray, nullValue?: number): Vector {
  const length = values.length;
  const nulls = nullValue === undefined ? {nullCount: 0} : validity(length, (i) => values[i] === nullValue);
  const data = (type: Int8 | Int16 | Int32, array: IntArray) =>
    makeVector(makeData({type, length, data: array, ...nulls} as never));
  if (values instanceof Int8Array) return data(new Int8(), values);
  if (values instanceof Int16Array) return data(new Int16(), values);
  return data(new Int32(), values);
}

export function float64Vector(values: Float64Array): Vector {
  return makeVector(makeData({type: new Float64(), length: values.length, data: values}));
}

/** A Date32 vector of days since 1970-01-01; values equal to `nullValue` (if given) become NULL. */
export function dateDayVector(days: Int32Array, nullValue?: number): Vector {
  const nulls = nullValue === undefined ? {nullCount: 0} : validity(days.length, (i) => days[i] === nullValue);
  return makeVector(makeData({type: new DateDay(), length: days.length, data: days, ...nulls}));
}

/** A Utf8 vector whose value at row i is `labels[codes[i]]`. */
export function labelVector(codes: Uint8Array, labels: readonly string[]): Vector {
  const encoder = new TextEncoder();
  const encoded = labels.map((s) => encoder.encode(s));
  const start = new Int32Array(labels.length + 1);
  for (let k = 0; k < labels.length; ++k) start[k + 1] = start[k] + encoded[k].length;
  const bytes = new Uint8Array(start[labels.length]);
  for (let k = 0; k < labels.length; ++k) bytes.set(encoded[k], start[k]);
  const length = codes.length;
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i < length; ++i) offsets[i + 1] = offsets[i] + start[codes[i] + 1] - start[codes[i]];
  const data = new Uint8Array(offsets[length]);
  for (let i = 0, at = 0; i < length; ++i) {
    for (let j = start[codes[i]], end = start[codes[i] + 1]; j < end; ++j) data[at++] = bytes[j];
  }
  return makeVector(makeData({type: new Utf8(), length, data, valueOffsets: offsets}));
}

/** Utf8 ids `prefix` + zero-padded row number from 1 (`L0000001`), at least `minDigits` digits. */
export function sequentialIdVector(length: number, prefix: string, minDigits: number): Vector {
  const digits = Math.max(minDigits, String(length).length);
  const width = prefix.length + digits;
  const data = new Uint8Array(width * length);
  const offsets = new Int32Array(length + 1);
  // An odometer: the id of row i is the previous id plus one, so each row costs a copy, not a division.
  const id = new Uint8Array(width);
  for (let j = 0; j < prefix.length; ++j) id[j] = prefix.charCodeAt(j);
  id.fill(48, prefix.length);
  for (let i = 0; i < length; ++i) {
    let j = width - 1;
    while (id[j] === 57) id[j--] = 48;
    id[j]++;
    const at = i * width;
    for (let k = 0; k < width; ++k) data[at + k] = id[k];
    offsets[i + 1] = at + width;
  }
  return makeVector(makeData({type: new Utf8(), length, data, valueOffsets: offsets}));
}
