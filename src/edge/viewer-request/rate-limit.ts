/**
 * A per-instance ceiling on bcrypt verifications: a token bucket holding `perSecond` tokens (at
 * least one), refilled at `perSecond` a second. Past it, new credentials are refused (401 with Retry-After)
 * without a bcrypt check, while credentials already verified keep working from the cache.
 */
export interface RateLimiter {
  /** Takes a token: 0 when granted, else the milliseconds until the next token. */
  take(now: number): number;
}

export function createRateLimiter(perSecond: number): RateLimiter {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last: number | undefined;
  return {
    take(now) {
      if (last !== undefined && now > last) tokens = Math.min(capacity, tokens + ((now - last) * perSecond) / 1000);
      if (last === undefined || now > last) last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) * 1000) / perSecond);
    },
  };
}
