// A PDF's text, page by page, read with pdf.js (an extractor independent of the Chromium that printed it).
import {getDocument} from "pdfjs-dist/legacy/build/pdf.mjs";

/** Each page's text, its pieces joined in drawing order. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({data: bytes.slice(), useSystemFonts: false, isEvalSupported: false}).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  await doc.destroy();
  return pages;
}

/** Text without any whitespace: a header wrapped over two lines in print reads the same as on screen. */
export const squeeze = (text: string) => text.replace(/\s+/g, "");

/** The first page's width and height in points. */
export async function pdfPageSize(bytes: Uint8Array): Promise<[number, number]> {
  const doc = await getDocument({data: bytes.slice(), useSystemFonts: false, isEvalSupported: false}).promise;
  const [x0, y0, x1, y1] = (await doc.getPage(1)).view;
  await doc.destroy();
  return [x1 - x0, y1 - y0];
}
