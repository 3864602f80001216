import {describe, expect, it} from "vitest";
import {erfc, holm, mean, normalCdf, sampleSd, twoProportionTest, twoSidedP, wilson, Z95} from "../../src/lib/stats.js";

// Expected values are worked by hand from the closed forms (noted beside each) or are textbook
// values; none comes from the code under test.

describe("wilson", () => {
  it("matches the hand-worked interval for 39/245 (the seeds' V3.2_12212025 Tier 1)", () => {
    // p = 39/245 = 0.159184, z² = 3.841459, denominator 1 + z²/n = 1.0156794,
    // centre (p + z²/2n)/denominator = 0.164445, half-width z/denominator·√(p(1−p)/n + z²/4n²) = 0.045759.
    const [low, high] = wilson(39, 245)!;
    expect(low).toBeCloseTo(0.118686, 6);
    expect(high).toBeCloseTo(0.210204, 6);
  });

  it("gives Newcombe's (1998) textbook Wilson intervals, to his four decimals", () => {
    // Newcombe, "Two-sided confidence intervals for the single proportion", Stat. Med. 17:857–872,
    // Table II, method 3 (score interval without continuity correction).
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718]
    ];
    for (const [x, n, low, high] of cases) {
      const [l, h] = wilson(x, n)!;
      expect(l).toBeCloseTo(low, 4);
      expect(h).toBeCloseTo(high, 4);
    }
  });

  it("gives the seeds' Phase 4.1 Tier 1 row (13.5% of 163, shown as \"13.7% – 15.0%\") its real width", () => {
    // ~22/163: p = 0.134969, 1 + z²/n = 1.0235672, centre 0.143374, half-width 0.052524 —
    // [9.09%, 19.59%], ten points wide where the seeds' interval is 1.3 and misses its estimate.
    const [low, high] = wilson(22, 163)!;
    expect(low).toBeCloseTo(0.09085, 5);
    expect(high).toBeCloseTo(0.195898, 5);
  });

  it("is null for n = 0", () => {
    expect(wilson(0, 0)).toBeNull();
  });

  it("handles 0 and all successes with the closed forms [0, z²/(n+z²)] and [n/(n+z²), 1]", () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilson(0, 10)).toEqual([0, expect.closeTo(z2 / (10 + z2), 12)]);
    expect(wilson(0, 10)![1]).toBeCloseTo(0.277533, 6);
    expect(wilson(10, 10)).toEqual([expect.closeTo(10 / (10 + z2), 12), 1]);
    expect(wilson(10, 10)![0]).toBeCloseTo(0.722467, 6);
  });

  it("is symmetric about 1/2 for x = n/2", () => {
    const [low, high] = wilson(3, 6)!;
    expect(low + high).toBeCloseTo(1, 12);
  });

  it("rejects impossible counts", () => {
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(() => wilson(-1, 4)).toThrow(RangeError);
    expect(() => wilson(1.5, 4)).toThrow(RangeError);
  });

  it("uses the exact 97.5% normal quantile", () => {
    expect(Z95).toBe(1.959963984540054);
  });
});

describe("normal distribution", () => {
  it("matches table values of Φ and erfc", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 15);
    expect(Math.abs(normalCdf(-3) / 0.0013498980316300946 - 1)).toBeLessThan(1e-12);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 15);
    expect(Math.abs(erfc(2) / 0.004677734981047266 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(1e-12);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
    expect(erfc(Infinity)).toBe(0);
  });

  it("gives p = 0.05 at z = 1.959963984540054", () => {
    expect(Math.abs(twoSidedP(1.959963984540054) - 0.05)).toBeLessThan(1e-12);
    expect(twoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 12);
  });
});

describe("twoProportionTest", () => {
  it("matches the textbook 30/100 vs 20/100 (χ² = 8/3, p = 0.1025)", () => {
    // pooled p = 0.25, se = √(0.25·0.75·0.02) = 0.0612372, z = 0.1/se = √(8/3) = 1.6329932;
    // R: prop.test(c(30, 20), c(100, 100), correct = FALSE) gives X-squared = 2.6667, p-value = 0.1025.
    const test = twoProportionTest(30, 100, 20, 100)!;
    expect(test.difference).toBeCloseTo(0.1, 12);
    expect(test.z).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(test.z ** 2).toBeCloseTo(8 / 3, 12);
    expect(test.pValue).toBeCloseTo(0.1025, 4);
    expect(test.pValue).toBeCloseTo(0.10247043485974947, 12);
  });

  it("is antisymmetric in its arguments", () => {
    const a = twoProportionTest(30, 100, 20, 100)!;
    const b = twoProportionTest(20, 100, 30, 100)!;
    expect(b.z).toBeCloseTo(-a.z, 12);
    expect(b.pValue).toBeCloseTo(a.pValue, 15);
  });

  it("is null when a sample is empty, and z = 0, p = 1 when there is no variance", () => {
    expect(twoProportionTest(0, 0, 3, 10)).toBeNull();
    expect(twoProportionTest(3, 10, 0, 0)).toBeNull();
    expect(twoProportionTest(0, 10, 0, 20)).toEqual({difference: 0, z: 0, pValue: 1});
    expect(twoProportionTest(10, 10, 20, 20)).toEqual({difference: 0, z: 0, pValue: 1});
  });
});

describe("holm", () => {
  it("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02", () => {
    // sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone).
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted).toHaveLength(4);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
  });

  it("caps at 1 and keeps nulls out of m", () => {
    const adjusted = holm([0.5, null, 0.4]);
    // m = 2: 0.4·2 = 0.8, 0.5·1 = 0.5 → raised to 0.8.
    expect(adjusted[0]).toBeCloseTo(0.8, 12);
    expect(adjusted[1]).toBeNull();
    expect(adjusted[2]).toBeCloseTo(0.8, 12);
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });

  it("rejects values that are not probabilities", () => {
    expect(() => holm([1.5])).toThrow(RangeError);
  });
});

describe("mean and sampleSd", () => {
  it("reproduce the seeds' backtest summary (5.86, 4.65, 5.25, 4.70 → mean 5.12, sd 0.57)", () => {
    // mean = 20.46/4 = 5.115; squared deviations 0.555025 + 0.216225 + 0.018225 + 0.172225 = 0.9617;
    // sample variance 0.9617/3 = 0.320567; sd = 0.566186.
    const lifts = [5.86, 4.65, 5.25, 4.7];
    expect(mean(lifts)).toBeCloseTo(5.115, 12);
    expect(sampleSd(lifts)).toBeCloseTo(0.566186, 6);
    expect(mean(lifts)!.toFixed(2)).toBe("5.12");
    expect(sampleSd(lifts)!.toFixed(2)).toBe("0.57");
  });

  it("is null where undefined", () => {
    expect(mean([])).toBeNull();
    expect(sampleSd([])).toBeNull();
    expect(sampleSd([3])).toBeNull();
    expect(sampleSd([2, 2, 2])).toBe(0);
  });
});
