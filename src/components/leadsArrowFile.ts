/**
 * Reads the tier page's columns file (`leads.arrow`, written by loaders/leads-arrow.ts) into a
 * {@link PreviewSource}: the leads' columns as typed arrays, without the database engine.
 */
import {DataType, RecordBatchReader} from "apache-arrow";
import type {ColumnInfo} from "../lib/column-info.js";
import {COLUMNS_FILE, type PreviewSource} from "../lib/tiers/preview-source.js";
import {parseProvenance} from "../lib/provenance.js";
import {yieldToPage} from "../lib/yield.js";
import {ColumnCollector} from "./arrowToArrays.js";

/** Longest stretch of main-thread work between two yields while decoding. */
const SLICE_MS = 12;

/**
 * Decodes the file's bytes, one record batch at a time (yielding to the page every few
 * milliseconds); throws, naming what is wrong, for anything but such a file.
 */
export async function decodePreviewColumns(bytes: ArrayBuffer | Uint8Array): Promise<PreviewSource> {
  const reader = RecordBatchReader.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  reader.open();
  const meta = reader.schema.metadata;
  const schemaJson = meta.get(COLUMNS_FILE.schemaKey);
  if (!schemaJson) throw new Error(`not a tierlab columns file (no ${COLUMNS_FILE.schemaKey} in its metadata)`);
  const schema = JSON.parse(schemaJson) as ColumnInfo[];
  const collector = new ColumnCollector(reader.schema);
  const splitAt = reader.schema.fields.findIndex((f) => f.name === COLUMNS_FILE.split && DataType.isDictionary(f.type));
  let dictionary: string[] | null = null;
  let slice = performance.now();
  for (const batch of reader) {
    collector.add(batch);
    if (splitAt >= 0) {
      for (const data of batch.getChildAt(splitAt)!.data) {
        const values = Array.from((data.dictionary?.toArray() ?? []) as ArrayLike<string>, String);
        if (dictionary === null) dictionary = values;
        else if (values.join("\u0000") !== dictionary.join("\u0000")) throw new Error(`the columns file's ${COLUMNS_FILE.split} changes its dictionary between record batches`);
      }
    }
    if (performance.now() - slice > SLICE_MS) {
      await yieldToPage();
      slice = performance.now();
    }
  }
  await yieldToPage(); // (joining the batches into one array per column is one more stretch of work)
  const {rows, columns} = collector.finish();
  const take = (name: string) => {
    const column = columns.get(name);
    if (!column) throw new Error(`the columns file has no ${name} column`);
    columns.delete(name);
    return column;
  };
  const days = take(COLUMNS_FILE.date);
  if (days.valid !== null) throw new Error(`the columns file's ${COLUMNS_FILE.date} has NULLs`);
  const target = take(COLUMNS_FILE.target);
  const split = splitAt >= 0 ? {codes: take(COLUMNS_FILE.split), values: dictionary ?? []} : null;
  return {rows, schema, provenance: parseProvenance(meta.get(COLUMNS_FILE.provenanceKey)), days: days.values, split, target, features: columns};
}

/**
 * The columns file through `bytes` (see engineStatus.ts loadTierData),
 * or null when it cannot be had: the page then waits for the engine, which gives the same numbers
 * later (the reason goes to the console; nothing is lost).
 */
export async function loadPreviewSource(bytes: () => Promise<ArrayBuffer>): Promise<PreviewSource | null> {
  try {
    return await decodePreviewColumns(await bytes());
  } catch (error) {
    console.warn(`tierlab: the columns file could not be read (${error instanceof Error ? error.message : String(error)}); the first numbers wait for the database engine`);
    return null;
  }
}
