import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTar, readTar } from '../../platform-core/src/adapters/postgres/tar-archive.js';

type Item = Partial<Header> & { readonly name: string; readonly body?: string };

/** A tar archive written by tar-stream's packer (an independent writer of the format). */
async function tarOf(items: readonly Item[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of p) chunks.push(chunk as Buffer);
  })();
  for (const { body, ...header } of items) {
    await new Promise<void>((ok, fail) => p.entry(header, body ?? '', (e) => (e ? fail(e) : ok())));
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const invalid = (message: RegExp) =>
  expect.objectContaining({ kind: 'Permanent', code: 'invalid_tar', message: expect.stringMatching(message) });

describe('template archives (tar-stream reader)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hekima-tar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a tar archive, plain or gzip, with its directories, files and modes', async () => {
    const archive = await tarOf([
      { name: '/PG_VERSION', body: '17\n', mode: 0o600 },
      { name: 'base', type: 'directory', mode: 0o700 },
      { name: 'base/1/1259', body: 'x'.repeat(1000), mode: 0o640 },
      { name: `global/${'n'.repeat(120)}`, body: 'long name (ustar prefix)' },
    ]);
    for (const form of [archive, gzipSync(archive)]) {
      expect((await readTar(form)).map((e) => [e.path, e.type, e.data.length, e.mode])).toEqual([
        ['PG_VERSION', 'file', 3, 0o600],
        ['base', 'directory', 0, 0o700],
        ['base/1/1259', 'file', 1000, 0o640],
        [`global/${'n'.repeat(120)}`, 'file', 24, 0o644],
      ]);
    }
  });

  it('extracts under the destination only, with the archive modes', async () => {
    const out = join(dir, 'out');
    const archive = await tarOf([
      { name: 'PG_VERSION', body: '17\n', mode: 0o600 },
      { name: 'base/1/1259', body: 'x'.repeat(1000), mode: 0o640 },
    ]);
    expect(await extractTar(gzipSync(archive), out)).toBe(2);
    expect(await readFile(join(out, 'base', '1', '1259'), 'utf8')).toBe('x'.repeat(1000));
    expect((await stat(join(out, 'base', '1', '1259'))).mode & 0o777).toBe(0o640);
    expect((await readdir(out)).sort()).toEqual(['PG_VERSION', 'base']);
  });

  it('refuses escaping paths and links, and writes nothing for a refused archive', async () => {
    const escaping = await tarOf([
      { name: 'PG_VERSION', body: '17\n' },
      { name: 'base/../../evil', body: 'x' },
    ]);
    await expect(readTar(escaping)).rejects.toThrow(invalid(/entry base\/\.\.\/\.\.\/evil escapes the archive root/));
    const target = join(dir, 'refused');
    await expect(extractTar(escaping, target)).rejects.toThrow(invalid(/escapes/));
    await expect(readdir(target)).rejects.toMatchObject({ code: 'ENOENT' }); // validated before any write

    const symlink = await tarOf([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }]);
    await expect(readTar(symlink)).rejects.toThrow(invalid(/entry link has unsupported type "symlink"/));
    const hardlink = await tarOf([
      { name: 'a', body: 'x' },
      { name: 'b', type: 'link', linkname: 'a' },
    ]);
    await expect(readTar(hardlink)).rejects.toThrow(invalid(/unsupported type "link"/));
    const fifo = await tarOf([{ name: 'pipe', type: 'fifo' }]);
    await expect(readTar(fifo)).rejects.toThrow(invalid(/unsupported type "fifo"/));
  });

  it('refuses bad checksums, truncation, a missing end marker and a damaged gzip', async () => {
    const good = await tarOf([{ name: 'PG_VERSION', body: '17\n' }]);
    expect(await readTar(good)).toHaveLength(1);

    await expect(readTar(new Uint8Array())).rejects.toThrow(invalid(/end-of-archive marker is missing/));
    const badSum = Uint8Array.from(good);
    badSum[0] = 'Q'.charCodeAt(0); // the name changes, the stored checksum does not
    await expect(readTar(badSum)).rejects.toThrow(invalid(/bad header checksum/));

    const big = await tarOf([{ name: 'file', body: 'y'.repeat(5000) }]);
    await expect(readTar(big.subarray(0, 2048))).rejects.toThrow(invalid(/truncated/));
    // Cut right after an entry's data: every entry is whole, but the archive is not.
    await expect(readTar(big.subarray(0, 512 + 10 * 512))).rejects.toThrow(invalid(/end-of-archive marker/));

    const zipped = Uint8Array.from(gzipSync(good));
    zipped[zipped.length - 6] = zipped[zipped.length - 6]! ^ 0xff; // inside the CRC32 trailer
    await expect(readTar(zipped)).rejects.toThrow(invalid(/gzip/));

    const notTar = new TextEncoder().encode('x'.repeat(4096));
    await expect(readTar(notTar)).rejects.toThrow(invalid(/./));
  });
});
