// An RFC 4180 reader for the tests, written independently of the project's CSV writer
// (src/lib/table/): quoted fields, doubled quotes, CRLF-terminated records.

/** The records of a CSV text; throws when the text does not end with CRLF after its last record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") record.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), i++;
    else field += c;
  }
  if (field !== "" || record.length !== 0) throw new Error("the CSV does not end with CRLF");
  return records;
}
