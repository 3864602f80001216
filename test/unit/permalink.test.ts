import {describe, expect, it} from "vitest";
import {decodeState, encodeState, PermalinkError} from "../../src/lib/permalink.js";

const state = {rules: {name: "Tweak", tiers: [{id: "T1", label: "O'Brien \"x\"; DROP TABLE leads; --", when: [{column: "a", lte: 100}]}], fallback: {id: "S", label: "S"}}, compare: "v3.1", population: {split: "TRAIN"}};

describe("permalinks", () => {
  it("round-trip the state exactly, in URL-safe characters", async () => {
    const encoded = await encodeState(state);
    expect(encoded).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeState(encoded)).toEqual(state);
  });

  it("reject a truncated link", async () => {
    const encoded = await encodeState(state);
    await expect(decodeState(encoded.slice(0, encoded.length - 12))).rejects.toThrow(/damaged or cut short/);
  });

  it("reject tampered characters and non-links", async () => {
    await expect(decodeState("1.abc$def")).rejects.toThrow(/characters/);
    await expect(decodeState("hello")).rejects.toThrow(/not a tierlab workbench link/);
    await expect(decodeState("1.AAAA")).rejects.toBeInstanceOf(PermalinkError);
  });

  it("say when a link comes from another format version", async () => {
    const encoded = await encodeState(state);
    await expect(decodeState("2" + encoded.slice(1))).rejects.toThrow(/newer tierlab/);
    await expect(decodeState("0" + encoded.slice(1))).rejects.toThrow(/older tierlab/);
  });

  it("reject a link whose content is valid compression of non-state JSON", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({hello: 1}));
    const deflated = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
    const b64 = Buffer.from(deflated).toString("base64url");
    await expect(decodeState("1." + b64)).rejects.toThrow(/no rule set/);
  });
});
