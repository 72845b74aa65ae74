/**
 * viewer-request handler: HTTP Basic auth in front of the whole distribution.
 *
 * A protected path without valid credentials gets a generated 401 (the origin is never
 * contacted); valid credentials let the request through with `authorization` removed, so it never
 * reaches S3. bcrypt runs at most once per credential per TTL per warm instance: successes and
 * failures are remembered in bounded, TTL-limited caches, and a per-instance ceiling on bcrypt
 * checks per second refuses new credentials past it (401 with Retry-After) while verified
 * sessions keep working. Every verification writes one audit line.
 */
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import { compareSync } from 'bcryptjs';
import { createHash } from 'node:crypto';
import type { EdgeAuthConfig, EdgeConfig } from '../config';
import { originObject } from '../origin-path';
import { pathMatcher } from '../paths';
import { generatedResponse } from '../responses';
import { buildSecurityHeaders } from '../security-headers';
import { parseUri } from '../uri';
import { MAX_AUTHORIZATION_LENGTH, parseBasic } from './credentials';
import { createAuditLog, type AuthOutcome } from './audit';
import { createRateLimiter } from './rate-limit';
import { createExpiringCache, credentialKeyer } from './verified-cache';

const BCRYPT_CHARS = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A well-formed bcrypt hash nobody knows the password of, at the users' cost (the build refuses
 * users of mixed costs): unknown users are verified against it, so an unknown user, a wrong
 * password and a right one on a cache miss each cost one bcrypt at the same cost. Derived from
 * the user list, so the bundle stays deterministic.
 */
export function dummyHash(users: EdgeAuthConfig['users']): string {
  const cost = users.reduce((max, u) => Math.max(max, Number(u.hash.slice(4, 6)) || 10), 4);
  const bytes = createHash('sha512').update(users.map((u) => u.hash).join('\n')).digest();
  let tail = '';
  for (let i = 0; i < 53; i++) tail += BCRYPT_CHARS[bytes[i % bytes.length]! % 64];
  return `$2b$${String(cost).padStart(2, '0')}$${tail}`;
}

export type PasswordOutcome = 'ok' | 'wrong-password' | 'unknown-user';

/** Failed credentials remembered per instance, and for how long. */
export const FAILURE_CACHE_ENTRIES = 1024;
export const FAILURE_CACHE_TTL_MS = 60_000;

/** Checks a user and password; one bcrypt at the users' cost whether or not the user exists. */
export function createPasswordCheck(users: EdgeAuthConfig['users']): (user: string, password: string) => PasswordOutcome {
  const hashes = new Map(users.map((u) => [u.user, u.hash]));
  const dummy = dummyHash(users);
  return (user, password) => {
    const hash = hashes.get(user);
    const ok = compareSync(password, hash ?? dummy);
    if (hash === undefined) return 'unknown-user';
    return ok ? 'ok' : 'wrong-password';
  };
}

type Verdict = { readonly pass: true } | { readonly pass: false; readonly retryAfterSeconds?: number };
const PASS: Verdict = { pass: true };
const FAIL: Verdict = { pass: false };

export function createHandler(config: EdgeConfig): (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult> {
  const auth = config.auth;
  if (!auth) {
    throw new Error(`edgelock: the viewer-request function of ${config.project}/${config.environment} was built without an auth config; refusing to run`);
  }
  const security = buildSecurityHeaders(config.headers);
  const challenge = `Basic realm="${auth.realm}", charset="UTF-8"`;
  const unauthorized = generatedResponse(security, '401', 'Valid credentials are required to view this site.', [['WWW-Authenticate', challenge]]);
  const isProtected = pathMatcher(auth.protect);
  const isBypassed = pathMatcher(auth.bypass);
  const checkPassword = createPasswordCheck(auth.users);
  const keyOf = credentialKeyer();
  const verifiedUsers = createExpiringCache<string>(auth.cacheEntries, auth.cacheTtlSeconds * 1000);
  const failures = createExpiringCache<PasswordOutcome>(FAILURE_CACHE_ENTRIES, FAILURE_CACHE_TTL_MS);
  const limiter = createRateLimiter(auth.maxVerificationsPerSecond);
  const audit = createAuditLog({ project: config.project, environment: config.environment });
  const maxUriLength = config.origin.maxUriLength;

  /**
   * Whether a normalised path needs credentials. The object origin-request will fetch decides: it
   * is locked when one of the viewer paths that reach it (the key, its directory, its pretty URL)
   * is protected and none is bypassed, and every one of those paths then needs credentials. A path
   * that reaches the SPA fallback document also needs them when it is protected itself: a
   * bypassed path never exposes a protected document, and no alias of a protected document is
   * left open.
   */
  function needsAuth(path: string): boolean {
    const object = originObject(path, config.origin);
    const locked = object.aliases.some(isProtected) && !object.aliases.some(isBypassed);
    if (object.route !== 'spa') return locked;
    return locked || (isProtected(path) && !isBypassed(path));
  }

  /** Whether the request's Authorization headers carry valid credentials (at most one bcrypt check). */
  function verify(values: readonly { value: string }[], where: { clientIp: string; path: string; requestId: string }): Verdict {
    const now = Date.now();
    const log = (outcome: AuthOutcome, user?: string, repeat?: boolean): void =>
      audit.verification({ outcome, ...(user !== undefined ? { user } : {}), ...where, ...(repeat ? { repeat } : {}) }, now);
    const credentials = values.length === 1 && values[0]!.value.length <= MAX_AUTHORIZATION_LENGTH ? parseBasic(values[0]!.value) : undefined;
    if (!credentials) {
      log('malformed');
      return FAIL;
    }
    const key = keyOf(credentials.user, credentials.password);
    const user = verifiedUsers.get(key, now);
    if (user !== undefined) {
      audit.cacheHit(user, now);
      return PASS;
    }
    const failed = failures.get(key, now);
    if (failed !== undefined) {
      log(failed, credentials.user, true);
      return FAIL;
    }
    const waitMs = limiter.take(now);
    if (waitMs > 0) {
      log('rate-limited', credentials.user);
      return { pass: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    const outcome = checkPassword(credentials.user, credentials.password);
    log(outcome, credentials.user);
    if (outcome !== 'ok') {
      failures.set(key, outcome, now);
      return FAIL;
    }
    verifiedUsers.set(key, credentials.user, now);
    return PASS;
  }

  return async (event) => {
    const { config: cf, request } = event.Records[0]!.cf;
    const headers = request.headers;
    const parsed = parseUri(request.uri, maxUriLength);
    // A URI that cannot be normalised is judged as protected; origin-request refuses it later.
    const path = parsed.ok ? parsed.path : request.uri;
    if (!parsed.ok || needsAuth(path)) {
      const values = headers.authorization;
      if (!values || values.length === 0) return unauthorized(path);
      const verdict = verify(values, { clientIp: request.clientIp, path, requestId: cf.requestId });
      if (!verdict.pass) return unauthorized(path, verdict.retryAfterSeconds ? [['Retry-After', String(verdict.retryAfterSeconds)]] : []);
    }
    delete headers.authorization;
    return request;
  };
}
