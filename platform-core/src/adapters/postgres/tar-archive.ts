import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { permanent } from '../../domain/errors.js';

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
 * Reads a ustar archive (gzip-compressed or not), as PGlite's `dumpDataDir` writes it. Strict on
 * purpose: a bad header checksum, a truncated entry, a path escaping the root or an entry type
 * other than file/directory is a Permanent `invalid_tar`, so a damaged template is never half
 * trusted.
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const bytes = isGzip(archive) ? gunzip(archive) : archive;
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return entries; // end-of-archive marker
    if (octal(header, 148, 8) !== headerChecksum(header)) throw invalidTar(`bad header checksum at byte ${offset}`);
    const name = text(header, 0, 100);
    const prefix = text(header, 345, 155);
    const size = octal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const start = offset + BLOCK;
    if (start + size > bytes.length) throw invalidTar(`entry ${name} is truncated`);
    const path = safePath(prefix ? `${prefix}/${name}` : name);
    if (typeflag === '5') {
      if (path !== '') entries.push({ path, type: 'directory', mode: octal(header, 100, 8), data: new Uint8Array() });
    } else if (typeflag === '0' || typeflag === '\0') {
      if (path === '') throw invalidTar('a file entry has an empty name');
      entries.push({ path, type: 'file', mode: octal(header, 100, 8), data: bytes.subarray(start, start + size) });
    } else {
      throw invalidTar(`entry ${name} has unsupported type "${typeflag}"`);
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw invalidTar('the end-of-archive marker is missing');
}

/** Writes the entries of `archive` under `destination` (created if needed); returns how many. */
export async function extractTar(archive: Uint8Array, destination: string): Promise<number> {
  const entries = readTar(archive);
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

function text(header: Uint8Array, at: number, length: number): string {
  const field = header.subarray(at, at + length);
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

function octal(header: Uint8Array, at: number, length: number): number {
  const digits = text(header, at, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw invalidTar(`non-octal header field at offset ${at}`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

/** Sum of the header's bytes with the checksum field itself counted as spaces. */
function headerChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum;
}

function invalidTar(reason: string, cause?: unknown) {
  return permanent('invalid_tar', `Not a valid catalog template archive: ${reason}.`, cause ? { cause } : {});
}
