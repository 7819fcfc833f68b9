import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { isHekimaError, permanent } from '../../domain/errors.js';

const BLOCK = 512;
const WRITERS = 16;

/** One regular file or directory of a tar archive. */
export interface TarEntry {
  /** Relative path, `/`-separated, never absolute and never above the archive root. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly mode: number;
  readonly data: Uint8Array;
}

/**
 * Reads a tar archive (gzip-compressed or not), as PGlite's `dumpDataDir` writes it. Headers are
 * decoded by `tar-stream` (checksum verified, ustar/gnu/pax names); this function adds the policy
 * of a catalog template, strict on purpose: a path escaping the root, an entry type other than
 * file/directory, a truncated entry or a missing end-of-archive marker is a Permanent
 * `invalid_tar`, so a damaged template is never half trusted. Nothing is written here.
 */
export async function readTar(archive: Uint8Array): Promise<TarEntry[]> {
  const bytes = isGzip(archive) ? gunzip(archive) : archive;
  const parser = extract();
  const entries: TarEntry[] = [];
  let end = 0; // the byte after the last entry (its data padded to a block)
  const reading = (async () => {
    for await (const entry of parser) {
      const { header } = entry;
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      end = entry.offset + BLOCK + Math.ceil(header.size / BLOCK) * BLOCK;
      const path = safePath(header.name);
      if (header.type === 'directory') {
        if (path !== '') entries.push({ path, type: 'directory', mode: header.mode, data: new Uint8Array() });
      } else if (header.type === 'file') {
        if (path === '') throw invalidTar('a file entry has an empty name');
        const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks); // one chunk: a view, no copy
        entries.push({ path, type: 'file', mode: header.mode, data });
      } else {
        throw invalidTar(`entry ${header.name} has unsupported type "${header.type ?? 'unknown'}"`);
      }
    }
  })();
  parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    await reading;
  } catch (e) {
    throw isHekimaError(e) && e.code === 'invalid_tar' ? e : invalidTar(describe(e), e);
  }
  // tar-stream skips zero blocks and accepts an archive cut right after an entry: require the marker.
  if (end + BLOCK > bytes.length || !bytes.subarray(end, end + BLOCK).every((b) => b === 0)) {
    throw invalidTar('the end-of-archive marker is missing');
  }
  return entries;
}

/** Writes the entries of `archive` under `destination` (created if needed); returns how many. */
export async function extractTar(archive: Uint8Array, destination: string): Promise<number> {
  const entries = await readTar(archive);
  const root = resolve(destination);
  const target = (entry: TarEntry) => join(root, ...entry.path.split('/'));
  const dirs = new Set<string>([root]);
  for (const entry of entries) dirs.add(entry.type === 'directory' ? target(entry) : dirname(target(entry)));
  // Parents sort before their children, so each mkdir finds its parent.
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = entries.filter((e) => e.type === 'file');
  let next = 0;
  const worker = async () => {
    for (let entry = files[next++]; entry !== undefined; entry = files[next++]) {
      await writeFile(target(entry), entry.data, { mode: entry.mode & 0o777 || 0o600 });
    }
  };
  // A data folder is ~1,000 small files: a few writes in flight hide the syscall latency.
  await Promise.all(Array.from({ length: WRITERS }, worker));
  return entries.length;
}

function safePath(raw: string): string {
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\') || p.includes(sep) || p.includes('\0'))) {
    throw invalidTar(`entry ${raw} escapes the archive root`);
  }
  return parts.join('/');
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes); // verifies the CRC32 of the whole content
  } catch (e) {
    throw invalidTar(`gzip: ${(e as Error).message}`, e);
  }
}

/** tar-stream's messages, in the words of this reader. */
function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/Invalid tar header\. Maybe/.test(message)) return 'bad header checksum';
  if (/Unexpected end of data/.test(message)) return 'an entry is truncated (unexpected end of data)';
  return message.replace(/\.$/, '');
}

function invalidTar(reason: string, cause?: unknown) {
  return permanent('invalid_tar', `Not a valid catalog template archive: ${reason}.`, cause ? { cause } : {});
}
