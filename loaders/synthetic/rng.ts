/**
 * A small, fast, seeded PRNG (xoshiro128**), so the synthetic data is identical for a seed on every
 * machine. Never Math.random. Independent streams come from {@link Rng.fork}, so changing how one
 * part of the generator draws does not shift the numbers every other part sees.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private readonly seed: number;

  /** Seeds the state from any safe integer (and an optional stream number) with splitmix32. */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    // Hash the seed's high and low words, then the stream, so no two (seed, stream) pairs collide by
    // a simple bit pattern.
    let s = mix32(mix32(mix32(Math.floor(seed / 4294967296) | 0) ^ (seed | 0)) + stream);
    const next = () => mix32((s = (s + 0x9e3779b9) | 0)); // int32: keeps the state fields small for V8
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.seed = seed;
  }

  /** A new generator for another purpose, derived from the same seed. */
  fork(stream: number): Rng {
    return new Rng(this.seed, stream);
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const b = this.b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform number in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * An approximately standard normal deviate, cheaply: the Irwin–Hall sum of the four bytes of one
   * draw, rescaled (bounded at ±3.46 sd). Good enough for noise, and no logarithms or sines.
   */
  normal(): number {
    const x = this.u32();
    return ((x & 255) + ((x >>> 8) & 255) + ((x >>> 16) & 255) + (x >>> 24) - 510) * 0.006766;
  }

  /** A Poisson deviate (inversion from one uniform; fine for the small means used here). */
  poisson(mean: number): number {
    return this.poissonFrom(mean, Math.exp(-mean));
  }

  /** {@link poisson} with `Math.exp(-mean)` precomputed by the caller. */
  poissonFrom(mean: number, expNegMean: number): number {
    const u = this.next();
    let p = expNegMean;
    let cdf = p;
    let k = 0;
    while (u >= cdf && k < 100) {
      p *= mean / ++k;
      cdf += p;
    }
    return k;
  }

  /** Shuffles an array in place (Fisher–Yates). */
  shuffle(array: Int32Array | Uint32Array | number[], start = 0, end = array.length): void {
    for (let i = end - 1; i > start; --i) {
      const j = start + Math.floor(this.next() * (i - start + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The splitmix32 / murmur3 finalizer: a 32-bit integer hash (signed int32 result). */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
