import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the process that owns an embedded catalog (its "host") listens, and the shared secret
 * that proves a peer may use it. See docs/adr/0024.
 *
 * - Linux: an abstract socket named after the data folder's real path. Binding it is the election:
 *   the kernel lets one process hold the name and releases it when that process ends, however it
 *   ends (kill -9 included), so no stale lock can outlive its owner.
 * - Windows: a named pipe of the same name (same properties).
 * - Elsewhere: a socket file beside the folder (or in the temporary folder when that path is too
 *   long for a socket); a file left by a killed host is detected (nobody answers) and replaced.
 */
export interface CatalogAddress {
  /** What `net.Server.listen` / `net.connect` take. */
  readonly path: string;
  /** A socket file that may be left behind (not for abstract sockets and pipes). */
  readonly file: boolean;
  /** The data folder's secret (`<dataDir>.key`, 0600): peers prove they can read it. */
  readonly secret: Buffer;
}

export async function catalogAddress(dataDir: string): Promise<CatalogAddress> {
  const real = await realpath(dataDir);
  const name = `hekima-catalog-${createHash('sha256').update(real).digest('hex').slice(0, 40)}`;
  const secret = await readOrCreateSecret(`${dataDir}.key`);
  if (process.platform === 'linux') return { path: `\0${name}`, file: false, secret };
  if (process.platform === 'win32') return { path: `\\\\?\\pipe\\${name}`, file: false, secret };
  const beside = `${real}.sock`;
  return { path: Buffer.byteLength(beside) < 100 ? beside : join(tmpdir(), `${name}.sock`), file: true, secret };
}

/** 32 random bytes, created once per data folder (atomically: whoever links first wins). */
async function readOrCreateSecret(path: string): Promise<Buffer> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const existing = await readFile(path).catch((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT' ? undefined : Promise.reject(e),
    );
    if (existing && existing.length === 32) return existing;
    if (existing) throw new Error(`${path} is damaged (expected 32 bytes); remove it and retry`);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temp, randomBytes(32), { mode: 0o600 });
    try {
      await link(temp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(temp, { force: true });
    }
  }
  throw new Error(`could not create ${path}`);
}

/** The proof of one side of the handshake: HMAC-SHA256(secret, role ‖ the other side's nonce). */
export function proof(secret: Buffer, role: 'host' | 'guest', nonce: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(role).update(nonce).digest();
}

export function proofMatches(secret: Buffer, role: 'host' | 'guest', nonce: Uint8Array, given: unknown): boolean {
  if (!(given instanceof Uint8Array) || given.length !== 32) return false;
  return timingSafeEqual(proof(secret, role, nonce), given);
}

export function nonce(): Buffer {
  return randomBytes(32);
}
