/**
 * Remembers Authorization values that passed bcrypt verification, so a warm function answers
 * repeat visitors in microseconds. Keyed by the SHA-256 digest of the value (the raw header is
 * never stored), bounded by an entry limit (least recently used goes first) and a TTL.
 * Only successes are stored: failed attempts cannot grow it.
 */
import { createHash } from 'node:crypto';

export interface VerifiedCache {
  /** Whether this digest was verified within the TTL; refreshes its LRU position. */
  has(digest: string, now: number): boolean;
  add(digest: string, now: number): void;
  readonly size: number;
}

/** The cache key for an Authorization value. */
export function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('base64');
}

export function createVerifiedCache(maxEntries: number, ttlMs: number): VerifiedCache {
  const expiries = new Map<string, number>();
  return {
    has(digest, now) {
      const expiry = expiries.get(digest);
      if (expiry === undefined) return false;
      expiries.delete(digest);
      if (expiry <= now) return false;
      expiries.set(digest, expiry);
      return true;
    },
    add(digest, now) {
      if (ttlMs <= 0) return;
      expiries.delete(digest);
      expiries.set(digest, now + ttlMs);
      while (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value as string;
        expiries.delete(oldest);
      }
    },
    get size() {
      return expiries.size;
    },
  };
}
