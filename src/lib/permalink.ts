/**
 * Workbench state in the URL: the edited rule set, the comparison preset and the population (with
 * its maturity), deflated and base64url-encoded into the fragment (`#s=1.<data>`), so copying the address shares
 * the exact tweak. Decoding says exactly why a link cannot be used (tampered, truncated, stale).
 */
import type {PopulationState} from "./population.js";

export const PERMALINK_VERSION = 1;

export interface WorkbenchState {
  /** The edited rule set, as JSON (validated by the caller after decoding); absent when no page has edited one. */
  rules?: unknown;
  /** Preset id of the rule set compared against. */
  compare?: string;
  /**
   * The population. Links written before the maturity was carried have no analysisDate or
   * maturityDays: they resolve to the site's (see resolvePopulation), so they still open.
   */
  population?: PopulationState;
}

export class PermalinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermalinkError";
  }
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new PermalinkError("the link contains characters a tierlab link never has (was it edited by hand?)");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Encodes state as a URL fragment value (`1.<deflated base64url>`). */
export async function encodeState(state: WorkbenchState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return `${PERMALINK_VERSION}.${toBase64Url(await transform(json, new CompressionStream("deflate-raw")))}`;
}

/** Decodes a fragment value; throws a {@link PermalinkError} naming the problem. */
export async function decodeState(value: string): Promise<WorkbenchState> {
  const dot = value.indexOf(".");
  const version = Number(dot < 0 ? NaN : value.slice(0, dot));
  if (!Number.isInteger(version)) throw new PermalinkError("this is not a tierlab workbench link");
  if (version !== PERMALINK_VERSION) {
    throw new PermalinkError(`this link was made by ${version > PERMALINK_VERSION ? "a newer" : "an older"} tierlab (link format ${version}, this site reads ${PERMALINK_VERSION})`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", {fatal: true}).decode(await transform(fromBase64Url(value.slice(dot + 1)), new DecompressionStream("deflate-raw")));
  } catch (error) {
    if (error instanceof PermalinkError) throw error;
    throw new PermalinkError("the link is damaged or cut short (copy the whole address again)");
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new PermalinkError("the link is damaged (its content is not valid JSON)");
  }
  if (!state || typeof state !== "object" || !("rules" in state || "population" in state)) throw new PermalinkError("the link holds no rule set or population");
  return state as WorkbenchState;
}
