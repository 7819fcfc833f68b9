import { stat } from 'node:fs/promises';
import { throwIfAborted, transient } from '../../../domain/errors.js';

/** A file read by a connector, with the signature (size:mtime) it had when it was listed. */
export interface SignedFile {
  readonly name: string;
  readonly path: string;
  readonly signature: string;
}

/** `size:mtime` (ms) of a file now; `missing` when it is gone. */
export async function signatureOf(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? `${info.size}:${Math.trunc(info.mtimeMs)}` : 'missing';
}

/**
 * Fails as Transient `source_changed` (retryable) when a file no longer has the signature it had
 * when it was listed: the data read may mix two versions of it, and the state would record the
 * wrong one. Nothing is committed; the retry reads the file as it is then.
 */
export async function assertUnchanged(
  inputId: string,
  files: readonly SignedFile[],
  signal: AbortSignal,
): Promise<void> {
  for (const file of files) {
    throwIfAborted(signal, 'checking the source files');
    const now = await signatureOf(file.path);
    if (now !== file.signature)
      throw transient(
        'source_changed',
        `Input "${inputId}": the file "${file.name}" changed while the run read it (size:mtime ${file.signature} → ${now}); nothing was committed: run again.`,
        { details: { input: inputId, file: file.name, before: file.signature, after: now } },
      );
  }
}
