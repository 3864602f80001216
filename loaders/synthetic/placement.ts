/**
 * Random row placement that stays cache-friendly. Kept leads must land at uniformly random rows of
 * their split's block (acceptance order is biased: rare tier cells fill early), but writing a dozen
 * columns at random rows of a multi-million-row table is slow. So each block is cut into chunks; a
 * lead goes to the next free row of a chunk drawn with probability proportional to the chunk's free
 * rows (a Fenwick tree), and each chunk is shuffled in cache at the end. Together that is a uniform
 * random permutation (a scatter shuffle).
 */
import type {Rng} from "./rng.js";

/** Rows per chunk: a chunk fits in a fast cache, and few chunks are being filled at once. */
const CHUNK = 32_768;

export class Placement {
  private readonly chunkStart: Int32Array;
  private readonly chunkFill: Int32Array;
  /** Per split: first chunk, chunk count, and a Fenwick tree over the chunks' free rows. */
  private readonly firstChunk: number[] = [];
  private readonly chunkCount: number[] = [];
  private readonly tree: Int32Array[] = [];
  private readonly free: number[] = [];

  /** `sizes[s]` rows for split s, in consecutive blocks from row 0. */
  constructor(sizes: readonly number[]) {
    const starts: number[] = [];
    let row = 0;
    for (const size of sizes) {
      this.firstChunk.push(starts.length);
      const count = Math.ceil(size / CHUNK);
      this.chunkCount.push(count);
      const tree = new Int32Array(count + 1);
      for (let k = 0; k < count; ++k) {
        starts.push(row + k * CHUNK);
        tree[k + 1] = Math.min(CHUNK, size - k * CHUNK);
      }
      for (let i = 1; i <= count; ++i) {
        const parent = i + (i & -i);
        if (parent <= count) tree[parent] += tree[i];
      }
      this.tree.push(tree);
      this.free.push(size);
      row += size;
    }
    starts.push(row);
    this.chunkStart = Int32Array.from(starts);
    this.chunkFill = new Int32Array(starts.length);
  }

  /** The row for the next lead of split `s` (throws if the split is full). */
  next(s: number, rng: Rng): number {
    if (this.free[s] <= 0) throw new Error(`synthetic data: split ${s} is full`);
    const tree = this.tree[s];
    const count = this.chunkCount[s];
    // Find the chunk holding the r-th free row: descend the Fenwick tree.
    let r = Math.floor(rng.next() * this.free[s]);
    let k = 0;
    for (let step = highestBit(count); step > 0; step >>= 1) {
      if (k + step <= count && tree[k + step] <= r) {
        k += step;
        r -= tree[k];
      }
    }
    for (let i = k + 1; i <= count; i += i & -i) tree[i]--;
    this.free[s]--;
    const chunk = this.firstChunk[s] + k;
    return this.chunkStart[chunk] + this.chunkFill[chunk]++;
  }

  /** Shuffles every chunk's rows of a row-major table with `stride` values per row. Call once all rows are placed. */
  shuffleChunks(table: Int32Array, stride: number, rng: Rng): void {
    const order = new Int32Array(CHUNK);
    const scratch = new Int32Array(CHUNK * stride);
    for (let chunk = 0; chunk + 1 < this.chunkStart.length; ++chunk) {
      const from = this.chunkStart[chunk];
      const length = Math.min(CHUNK, this.chunkStart[chunk + 1] - from);
      if (length === 0) continue;
      for (let j = 0; j < length; ++j) order[j] = j;
      rng.shuffle(order, 0, length);
      scratch.set(table.subarray(from * stride, (from + length) * stride));
      for (let j = 0; j < length; ++j) {
        const to = (from + j) * stride;
        const at = order[j] * stride;
        for (let k = 0; k < stride; ++k) table[to + k] = scratch[at + k];
      }
    }
  }
}

function highestBit(n: number): number {
  let bit = 1;
  while (bit * 2 <= n) bit *= 2;
  return bit;
}
