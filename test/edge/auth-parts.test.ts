import { compareSync, getRounds } from 'bcryptjs';
import { bcryptProblem } from '../../src/config/bcrypt';
import { MAX_AUTHORIZATION_LENGTH, parseBasic } from '../../src/edge/viewer-request/credentials';
import { createPasswordCheck, dummyHash } from '../../src/edge/viewer-request';
import { createVerifiedCache, digestOf } from '../../src/edge/viewer-request/verified-cache';
import { basic, testUsers, USERS } from './bundles';

describe('parseBasic', () => {
  it.each([
    [basic('alice', 'pw'), { user: 'alice', password: 'pw' }],
    [basic('alice', 'p:w:x'), { user: 'alice', password: 'p:w:x' }],
    [basic('bøb', 'pässword', 'bAsIc'), { user: 'bøb', password: 'pässword' }],
  ])('%s → %j', (value, expected) => {
    expect(parseBasic(value)).toEqual(expected);
  });

  it('refuses values longer than the limit without decoding them', () => {
    const long = basic('alice', 'x'.repeat(MAX_AUTHORIZATION_LENGTH));
    expect(parseBasic(long)).toBeUndefined();
  });
});

describe('dummy hash', () => {
  it('is a well-formed bcrypt hash at the users\' one cost, stable for the same users', () => {
    const users = [{ user: 'x', hash: '$2b$10$' + 'a'.repeat(53) }, { user: 'y', hash: '$2b$10$' + 'b'.repeat(53) }];
    const dummy = dummyHash(users);
    expect(bcryptProblem(dummy)).toBeUndefined();
    expect(getRounds(dummy)).toBe(10);
    expect(getRounds(dummyHash(testUsers()))).toBe(8);
    expect(dummyHash(users)).toBe(dummy);
    expect(compareSync('', dummy)).toBe(false);
  });

  it('an unknown user is refused even with another user\'s password', () => {
    const check = createPasswordCheck(testUsers());
    expect(check('alice', USERS.alice)).toBe(true);
    expect(check('mallory', USERS.alice)).toBe(false);
    expect(check('bob', USERS.alice)).toBe(false);
  });
});

describe('verified cache', () => {
  it('keys by digest, never by the raw header', () => {
    const v = basic('alice', 'pw');
    expect(digestOf(v)).toHaveLength(44);
    expect(digestOf(v)).not.toContain(v.slice(6));
  });

  it('forgets entries after the TTL', () => {
    const cache = createVerifiedCache(10, 1000);
    cache.add('a', 0);
    expect(cache.has('a', 999)).toBe(true);
    expect(cache.has('a', 1000)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keeps at most the entry limit, evicting the least recently used', () => {
    const cache = createVerifiedCache(3, 60_000);
    for (const k of ['a', 'b', 'c']) cache.add(k, 0);
    expect(cache.has('a', 1)).toBe(true); // a is now the most recent
    cache.add('d', 2);
    expect(cache.size).toBe(3);
    expect(cache.has('b', 3)).toBe(false);
    expect(cache.has('a', 3)).toBe(true);
    expect(cache.has('c', 3)).toBe(true);
    expect(cache.has('d', 3)).toBe(true);
    for (let i = 0; i < 10_000; i++) cache.add(`k${i}`, 4);
    expect(cache.size).toBe(3);
  });

  it('stores nothing when the TTL is 0', () => {
    const cache = createVerifiedCache(3, 0);
    cache.add('a', 0);
    expect(cache.has('a', 0)).toBe(false);
  });
});
