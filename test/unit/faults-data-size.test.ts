// The browser's size check (src/lib/data-size.ts): which files the pages open without asking, and
// what they say instead for a dataset too large for the tab.
import {describe, expect, it} from "vitest";
import {assessDataSize, BROWSER_LIMITS, formatBytes, LARGE_DATA_COMMANDS, parseByteCount, tooLargeMessage} from "../../src/lib/data-size.js";

const MB = 1024 * 1024;

describe("assessDataSize", () => {
  it("opens the seeds-sized data and anything up to the limits without asking", () => {
    // The site's DuckDB file of 1,000,000 synthetic leads is 18,624,512 bytes.
    expect(assessDataSize(18_624_512)).toEqual({ok: true, bytes: 18_624_512, estimatedRows: 1_034_695});
    expect(assessDataSize(BROWSER_LIMITS.maxRows * BROWSER_LIMITS.bytesPerRow).ok).toBe(true);
  });

  it("stops at about 8 million leads (18 bytes a lead in the DuckDB file) for files shaped like the data contract", () => {
    const a = assessDataSize(8_000_001 * 18);
    expect(a).toMatchObject({ok: false, estimatedRows: 8_000_001});
    expect(a.reason).toBe("at 137 MB it holds about 8 million leads, above the browser limit of 8 million");
    expect(assessDataSize(250 * MB).reason).toBe("at 250 MB it holds about 15 million leads, above the browser limit of 8 million");
  });

  it("stops above 300 MB whatever the row estimate", () => {
    const wide = {...BROWSER_LIMITS, bytesPerRow: 400};
    expect(assessDataSize(300 * MB, wide).ok).toBe(true);
    expect(assessDataSize(300 * MB + 1, wide)).toMatchObject({ok: false, reason: "the file is 300 MB, above the browser limit of 300 MB"});
    expect(assessDataSize(2.5 * 1024 * MB).reason).toBe("the file is 2.5 GB, above the browser limit of 300 MB");
  });

  it("loads when the size is unknown (no build-time size, no Content-Length)", () => {
    for (const unknown of [undefined, null, NaN, -1, 1.5, "", "12 MB", "abc"]) {
      expect(assessDataSize(parseByteCount(unknown as string | number | null | undefined))).toEqual({ok: true, bytes: null, estimatedRows: null});
    }
    expect(parseByteCount(" 4096 ")).toBe(4096);
    expect(parseByteCount(0)).toBe(0);
  });

  it("points to the command line and to BigQuery", () => {
    const message = tooLargeMessage(assessDataSize(450 * MB));
    expect(message).toBe(
      "This dataset is too large to open in the browser: the file is 450 MB, above the browser limit of 300 MB. Loading it would most likely run out of memory and crash the tab. Run the analysis with the command line instead (native DuckDB, no such limit), or keep the data in BigQuery with `--engine bigquery` (the same SQL runs there and only the aggregates come back)."
    );
    expect(LARGE_DATA_COMMANDS).toEqual([
      "npx tierlab report --data leads.parquet --rules v3.2 --format md",
      "npx tierlab report --engine bigquery --bigquery project.dataset.table --rules v3.2 --format md"
    ]);
  });

  it("formats sizes for people", () => {
    expect([0, 1023, 1536, 11_659_647, 300 * MB, 3 * 1024 * MB].map(formatBytes)).toEqual(["0 bytes", "1023 bytes", "1.5 KB", "11.1 MB", "300 MB", "3.0 GB"]);
  });
});
