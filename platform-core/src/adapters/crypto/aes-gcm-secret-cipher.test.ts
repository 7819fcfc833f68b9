import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretValue } from '../../domain/secret-value.js';
import { AesGcmSecretCipher, parseSecretKey } from './aes-gcm-secret-cipher.js';

const key = () => SecretValue.of(randomBytes(32).toString('base64'));

describe('AesGcmSecretCipher', () => {
  it('round-trips with a fresh IV each time and binds the token to its context', () => {
    const cipher = new AesGcmSecretCipher(key());
    const a = cipher.encrypt('hunter2', 'ctx-1');
    const b = cipher.encrypt('hunter2', 'ctx-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(cipher.decrypt(a, 'ctx-1')).toBe('hunter2');
    expect(() => cipher.decrypt(a, 'ctx-2')).toThrow(expect.objectContaining({ code: 'secret_decrypt_failed' }));
    const [v, kid, iv, tag, body] = a.split('.');
    const flipped = [v, kid, iv, tag, (body![0] === 'A' ? 'B' : 'A') + body!.slice(1)].join('.');
    expect(() => cipher.decrypt(flipped, 'ctx-1')).toThrow(expect.objectContaining({ code: 'secret_decrypt_failed' }));
  });

  it('tells a changed key, a missing key and a malformed key apart', () => {
    const token = new AesGcmSecretCipher(key()).encrypt('x', 'c');
    expect(() => new AesGcmSecretCipher(key()).decrypt(token, 'c')).toThrow(
      expect.objectContaining({ code: 'secret_key_mismatch' }),
    );
    expect(() => new AesGcmSecretCipher(undefined).encrypt('x', 'c')).toThrow(
      expect.objectContaining({ code: 'secret_key_missing' }),
    );
    expect(() => parseSecretKey('too-short')).toThrow(expect.objectContaining({ code: 'invalid_secret_key' }));
    expect(parseSecretKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseSecretKey(randomBytes(32).toString('base64url'))).toHaveLength(32);
  });
});
