/**
 * Bounded, TTL-limited memory of credentials, used twice by viewer-request: credentials that
 * passed bcrypt (so a warm function answers repeat visitors in microseconds) and credentials
 * that failed it (so the same wrong header repeated costs no second bcrypt).
 *
 * Keyed by {@link credentialKey}: an HMAC, under a key drawn when the instance starts, of the
 * decoded user and password. Every spelling of one credential (the scheme's case) shares one slot,
 * and neither the header nor the password is ever stored. At most `maxEntries` are kept (least
 * recently used goes first), each for `ttlMs`.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface ExpiringCache<V> {
  /** The value stored for `key` within the TTL, or undefined; refreshes its LRU position. */
  get(key: string, now: number): V | undefined;
  set(key: string, value: V, now: number): void;
  readonly size: number;
}

/** A keyed digest of decoded credentials, for one instance (the key never leaves memory). */
export function credentialKeyer(secret: Buffer = randomBytes(32)): (user: string, password: string) => string {
  return (user, password) => createHmac('sha256', secret).update(user).update('\0').update(password).digest('base64');
}

export function createExpiringCache<V>(maxEntries: number, ttlMs: number): ExpiringCache<V> {
  const entries = new Map<string, { readonly expiry: number; readonly value: V }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expiry <= now) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, now) {
      if (ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, { expiry: now + ttlMs, value });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}
