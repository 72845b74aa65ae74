/**
 * viewer-request handler: HTTP Basic auth in front of the whole distribution.
 *
 * A protected path without valid credentials gets a generated 401 (the origin is never
 * contacted); valid credentials let the request through with `authorization` removed, so it never
 * reaches S3. bcrypt runs once per Authorization value per warm instance; repeats are answered
 * from a bounded, TTL-limited cache keyed by the value's SHA-256 digest.
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
import { createVerifiedCache, digestOf } from './verified-cache';

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

/** Checks a user and password in constant time with respect to which users exist. */
export function createPasswordCheck(users: EdgeAuthConfig['users']): (user: string, password: string) => boolean {
  const hashes = new Map(users.map((u) => [u.user, u.hash]));
  const dummy = dummyHash(users);
  return (user, password) => {
    const hash = hashes.get(user);
    const ok = compareSync(password, hash ?? dummy);
    return hash !== undefined && ok;
  };
}

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
  const cache = createVerifiedCache(auth.cacheEntries, auth.cacheTtlSeconds * 1000);
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

  /** Whether `value` carries valid credentials (one bcrypt check per new value). */
  function verified(value: string): boolean {
    if (value.length > MAX_AUTHORIZATION_LENGTH) return false;
    const digest = digestOf(value);
    const now = Date.now();
    if (cache.has(digest, now)) return true;
    const credentials = parseBasic(value);
    if (!credentials || !checkPassword(credentials.user, credentials.password)) return false;
    cache.add(digest, now);
    return true;
  }

  return async (event) => {
    const request = event.Records[0]!.cf.request;
    const headers = request.headers;
    const parsed = parseUri(request.uri, maxUriLength);
    // A URI that cannot be normalised is judged as protected; origin-request refuses it later.
    const path = parsed.ok ? parsed.path : request.uri;
    if (!parsed.ok || needsAuth(path)) {
      const values = headers.authorization;
      if (!values || values.length !== 1 || !verified(values[0]!.value)) return unauthorized(path);
    }
    delete headers.authorization;
    return request;
  };
}
