/**
 * The data archive's tar writer: regular files, streamed from disk through tar-stream (the library
 * Framework extracts `.tar` data loader output with), so no member is ever held in memory.
 */
import type {FileHandle} from "node:fs/promises";
import {open} from "node:fs/promises";
import {Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import {pack as tarPack, type Pack} from "tar-stream";

export interface TarMember {
  /** The member's name in the archive (a plain file name or a relative path). */
  name: string;
  /** The file on disk whose bytes it holds. */
  path: string;
}

interface OpenMember extends TarMember {
  handle: FileHandle;
  size: number;
  mtime: Date;
}

/**
 * Opens every member before the archive starts, so a missing, unreadable or non-regular file
 * fails before the first byte reaches the output. On failure the handles opened so far are closed.
 */
async function openAll(members: TarMember[]): Promise<OpenMember[]> {
  const opened: OpenMember[] = [];
  try {
    for (const member of members) {
      const handle = await open(member.path, "r");
      opened.push({...member, handle, size: 0, mtime: new Date(0)});
      const stats = await handle.stat();
      if (!stats.isFile()) throw new Error(`${member.path} is not a regular file, so it cannot be archived`);
      Object.assign(opened[opened.length - 1], {size: stats.size, mtime: stats.mtime});
    }
    return opened;
  } catch (error) {
    await Promise.all(opened.map((m) => m.handle.close()));
    throw error;
  }
}

/** Streams each member's bytes into its entry; `pipeline` waits for the entry to drain and rejects on a read error. */
async function feed(pack: Pack, members: OpenMember[]): Promise<void> {
  for (const member of members) {
    let read = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        done(null, chunk);
      }
    });
    const entry = pack.entry({name: member.name, size: member.size, mtime: member.mtime, mode: 0o644, type: "file"});
    try {
      // autoClose off: the handles are closed once, in tarStream, whatever happens here.
      await pipeline(member.handle.createReadStream({start: 0, highWaterMark: 1024 * 1024, autoClose: false}), counted, entry);
    } catch (error) {
      // tar-stream reports a wrong byte count as "Size mismatch"; say which file and how.
      if (read !== member.size) throw new Error(`${member.path} changed while it was archived (${read} bytes read, ${member.size} expected)`, {cause: error});
      throw error;
    }
  }
}

/**
 * The archive's bytes: each member's header, its contents padded to a block, then two zero blocks.
 * Rejects (and stops) if any member cannot be opened, fails while it is read or changes size; a
 * consumer that stops early stops the reading too.
 */
export async function* tarStream(members: TarMember[]): AsyncGenerator<Buffer> {
  const opened = await openAll(members);
  const pack = tarPack();
  const feeding = feed(pack, opened);
  feeding.then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error)))
  );
  try {
    for await (const chunk of pack) yield chunk as Buffer;
    await feeding;
  } catch (error) {
    // tar-stream's own error ("Size mismatch") reaches the pack first; the feeding's, when it
    // failed, says which file and why.
    throw await feeding.then(
      () => error,
      (fed: unknown) => fed
    );
  } finally {
    // A consumer that returned early (its output failed) must not leave the feeding waiting.
    pack.destroy();
    await feeding.catch(() => undefined);
    await Promise.all(opened.map((m) => m.handle.close()));
  }
}
