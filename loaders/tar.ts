/**
 * A minimal tar (POSIX ustar) writer: regular files only, streamed from disk. Framework extracts
 * members of a `.tar` data loader's output by streaming it (tar-stream), so the archive is never
 * held in memory on either side.
 */
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";

const BLOCK = 512;

export interface TarMember {
  /** The member's name in the archive (a plain file name or a relative path, ≤ 100 bytes). */
  name: string;
  /** The file on disk whose bytes it holds. */
  path: string;
}

/** An octal field of `width` bytes (digits, then NUL), or base-256 when the value does not fit (sizes over 8 GiB). */
function numeric(header: Buffer, offset: number, width: number, value: number): void {
  const octal = value.toString(8);
  if (octal.length < width) {
    header.write(octal.padStart(width - 1, "0"), offset, width - 1, "ascii");
    return;
  }
  // GNU base-256: the first byte's high bit set, the value big-endian in the rest.
  let rest = BigInt(value);
  for (let i = offset + width - 1; i > offset; --i) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  header[offset] = 0x80;
}

/** The 512-byte ustar header of a regular file. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length === 0 || nameBytes.length > 100) throw new Error(`tar member name must be 1–100 bytes: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`tar member size must be a whole number of bytes: ${size}`);
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  numeric(header, 100, 8, 0o644); // mode
  numeric(header, 108, 8, 0); // uid
  numeric(header, 116, 8, 0); // gid
  numeric(header, 124, 12, size);
  numeric(header, 136, 12, Math.floor(mtime.getTime() / 1000));
  header.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
  header.write("0", 156, "ascii"); // a regular file
  header.write("ustar\u000000", 257, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, "0") + "\u0000 ", 148, "ascii");
  return header;
}

/** The archive's bytes: each member's header, its contents padded to a block, then two zero blocks. */
export async function* tarStream(members: TarMember[]): AsyncGenerator<Buffer> {
  for (const member of members) {
    const {size, mtime} = await stat(member.path);
    yield tarHeader(member.name, size, mtime);
    let written = 0;
    for await (const chunk of createReadStream(member.path, {highWaterMark: 1024 * 1024}) as AsyncIterable<Buffer>) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== size) throw new Error(`${member.path} changed while it was archived (${written} bytes read, ${size} expected)`);
    if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
  }
  yield Buffer.alloc(2 * BLOCK);
}
