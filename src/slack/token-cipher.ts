import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The form of a sealed value, so a later scheme can be told apart. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals and opens tokens at rest with AES-256-GCM (authenticated: a changed or swapped value fails to open).
 * Each value is bound to its workspace (`context`, as additional authenticated data), so a token copied to
 * another workspace's row does not open there. A sealed value reads `v1:<base64 of iv, tag, ciphertext>`.
 */
export class TokenCipher {
  readonly #key: Buffer;

  /** `key`: 32 bytes (CONCERT_ENCRYPTION_KEY). */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the token key must be 32 bytes');
    this.#key = key;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Throws when the value was not sealed with this key for this context, or was changed since. */
  open(sealed: string, context: string): string {
    const [version, data] = sealed.split(':', 2);
    if (version !== VERSION || data === undefined) throw new Error('not a sealed token');
    const bytes = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}
