/**
 * Encrypts secrets for storage at rest. `context` binds a ciphertext to where it belongs (tenant,
 * connection, secret name): decrypting it under another context fails, so a ciphertext copied to
 * another row or tenant is useless. Failures are typed errors (Permanent `secret_key_missing`,
 * `secret_key_mismatch`, `secret_decrypt_failed`) whose messages never contain the plaintext.
 */
export interface SecretCipher {
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
}
