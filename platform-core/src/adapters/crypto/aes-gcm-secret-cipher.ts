import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { permanent } from '../../domain/errors.js';
import type { SecretValue } from '../../domain/secret-value.js';
import type { SecretCipher } from '../../ports/secret-cipher.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/**
 * AES-256-GCM with a fresh random 96-bit IV per value and the context as additional authenticated
 * data. Token: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id (a hash prefix
 * of the key, not the key) says which key sealed a value, so a changed key is reported as such.
 */
export class AesGcmSecretCipher implements SecretCipher {
  readonly #key: Buffer | undefined;
  readonly #keyId: string | undefined;

  /** `key`: 32 bytes as base64 or hex (HEKIMA_SECRET_KEY); undefined makes every call fail clearly. */
  constructor(key: SecretValue | undefined) {
    if (key === undefined) return;
    this.#key = parseSecretKey(key.reveal());
    this.#keyId = createHash('sha256').update('hekima-key-id').update(this.#key).digest('hex').slice(0, 8);
  }

  encrypt(plaintext: string, context: string): string {
    const key = this.#requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [VERSION, this.#keyId, ...parts].join('.');
  }

  decrypt(token: string, context: string): string {
    const key = this.#requireKey();
    const [version, keyId, iv, tag, body, ...rest] = token.split('.');
    if (
      version !== VERSION ||
      !keyId ||
      iv === undefined ||
      tag === undefined ||
      body === undefined ||
      rest.length > 0
    ) {
      throw permanent('secret_decrypt_failed', 'A stored secret is malformed.');
    }
    if (keyId !== this.#keyId) {
      throw permanent('secret_key_mismatch', 'A stored secret was encrypted with another key than HEKIMA_SECRET_KEY.', {
        details: { keyId },
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw permanent(
        'secret_decrypt_failed',
        'A stored secret could not be decrypted (tampered, or moved to another row).',
      );
    }
  }

  #requireKey(): Buffer {
    if (!this.#key)
      throw permanent(
        'secret_key_missing',
        'No secret key is configured: set HEKIMA_SECRET_KEY (32 bytes, base64 or hex), or use env:NAME references.',
      );
    return this.#key;
  }
}

/** 32 bytes from 64 hex characters or base64/base64url; Permanent `invalid_secret_key` otherwise (the key is never echoed). */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (bytes.length !== KEY_BYTES || !/^[A-Za-z0-9+/_=-]+$/.test(trimmed)) {
    throw permanent('invalid_secret_key', 'The secret key must be 32 bytes, written as 64 hex characters or base64.');
  }
  return bytes;
}
