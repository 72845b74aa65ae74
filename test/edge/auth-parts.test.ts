import { compareSync, getRounds } from 'bcryptjs';
import { bcryptProblem } from '../../src/config/bcrypt';
import { MAX_AUTHORIZATION_LENGTH, parseBasic } from '../../src/edge/viewer-request/credentials';
import { createPasswordCheck, dummyHash } from '../../src/edge/viewer-request';
import { createAuditLog } from '../../src/edge/viewer-request/audit';
import { createRateLimiter } from '../../src/edge/viewer-request/rate-limit';
import { createExpiringCache, credentialKeyer } from '../../src/edge/viewer-request/verified-cache';
import { basic, testUsers, USERS } from './bundles';

describe('parseBasic', () => {
  it.each([
    [basic('alice', 'pw'), { user: 'alice', password: 'pw' }],
    [basic('alice', 'p:w:x'), { user: 'alice', password: 'p:w:x' }],
    [basic('bøb', 'pässword', 'bAsIc'), { user: 'bøb', password: 'pässword' }],
  ])('%s → %j', (value, expected) => {
    expect(parseBasic(value)).toEqual(expected);
  });

  it('refuses non-canonical base64 (unused bits of the last character set), so one credential has one token', () => {
    const token = Buffer.from('alice:pw').toString('base64'); // "YWxpY2U6cHc=": "c" carries 2 unused bits
    expect(parseBasic(`Basic ${token}`)).toEqual({ user: 'alice', password: 'pw' });
    const spellings = ['d', 'e', 'f'].map((c) => `Basic ${token.slice(0, -2)}${c}=`);
    for (const v of spellings) {
      expect(Buffer.from(v.slice(6), 'base64').toString()).toBe('alice:pw');
      expect(parseBasic(v)).toBeUndefined();
    }
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

  it('an unknown user is refused even with another user\'s password, and the outcome says which failure', () => {
    const check = createPasswordCheck(testUsers());
    expect(check('alice', USERS.alice)).toBe('ok');
    expect(check('mallory', USERS.alice)).toBe('unknown-user');
    expect(check('bob', USERS.alice)).toBe('wrong-password');
  });
});

describe('credential key', () => {
  it('is an HMAC of the decoded user and password under a per-instance key, never the password itself', () => {
    const key = credentialKeyer(Buffer.alloc(32, 1));
    expect(key('alice', 'pw')).toHaveLength(44);
    expect(key('alice', 'pw')).toBe(key('alice', 'pw'));
    expect(key('alice', 'pw')).not.toBe(key('alice', 'pw2'));
    expect(key('ali', 'cepw')).not.toBe(key('alice', 'pw'));
    expect(credentialKeyer(Buffer.alloc(32, 2))('alice', 'pw')).not.toBe(key('alice', 'pw'));
    expect(credentialKeyer()('alice', 'pw')).not.toBe(credentialKeyer()('alice', 'pw'));
  });
});

describe('expiring cache', () => {
  it('forgets entries after the TTL', () => {
    const cache = createExpiringCache<string>(10, 1000);
    cache.set('a', 'alice', 0);
    expect(cache.get('a', 999)).toBe('alice');
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most the entry limit, evicting the least recently used', () => {
    const cache = createExpiringCache<number>(3, 60_000);
    for (const [i, k] of ['a', 'b', 'c'].entries()) cache.set(k, i, 0);
    expect(cache.get('a', 1)).toBe(0); // a is now the most recent
    cache.set('d', 3, 2);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)).toBe(0);
    expect(cache.get('c', 3)).toBe(2);
    expect(cache.get('d', 3)).toBe(3);
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, i, 4);
    expect(cache.size).toBe(3);
  });

  it('stores nothing when the TTL is 0', () => {
    const cache = createExpiringCache<string>(3, 0);
    cache.set('a', 'x', 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('grants a burst of perSecond, then one token per 1/perSecond s, saying how long to wait', () => {
    const limiter = createRateLimiter(2);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(500);
    expect(limiter.take(250)).toBe(250);
    expect(limiter.take(500)).toBe(0);
    expect(limiter.take(500)).toBe(500);
    expect(limiter.take(10_000)).toBe(0);
    expect(limiter.take(10_000)).toBe(0);
    expect(limiter.take(10_000)).toBe(500);
  });

  it('holds at least one token for a fractional rate, and ignores a clock going backwards', () => {
    const limiter = createRateLimiter(0.5);
    expect(limiter.take(1000)).toBe(0);
    expect(limiter.take(1000)).toBe(2000);
    expect(limiter.take(500)).toBe(2000);
    expect(limiter.take(3000)).toBe(0);
  });
});

describe('audit log', () => {
  const label = { project: 'acme-web', environment: 'dev' };
  const where = { clientIp: '203.0.113.9', path: '/docs/', requestId: 'r-1' };

  it('writes one JSON line per verification, without secrets, cutting long fields', () => {
    const lines: string[] = [];
    const log = createAuditLog(label, (l) => lines.push(l));
    log.verification({ outcome: 'ok', user: 'alice', ...where }, 0);
    log.verification({ outcome: 'malformed', ...where }, 1);
    log.verification({ outcome: 'wrong-password', user: 'u'.repeat(300), ...where, repeat: true }, 2);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed[0]).toEqual({ level: 'info', msg: 'edgelock auth', ...label, outcome: 'ok', user: 'alice', ...where });
    expect(parsed[1]).toEqual({ level: 'warn', msg: 'edgelock auth', ...label, outcome: 'malformed', ...where });
    expect(parsed[2].user).toBe(`${'u'.repeat(256)}…`);
    expect(parsed[2].repeat).toBe(true);
  });

  it('counts cache hits per user and writes them at most once a minute', () => {
    const lines: string[] = [];
    const log = createAuditLog(label, (l) => lines.push(l));
    log.cacheHit('alice', 1_000);
    log.cacheHit('alice', 2_000);
    log.cacheHit('bob', 30_000);
    expect(lines).toEqual([]);
    log.cacheHit('alice', 61_000);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'info',
      msg: 'edgelock auth cache hits',
      ...label,
      since: new Date(1_000).toISOString(),
      until: new Date(61_000).toISOString(),
      hits: { alice: 2, bob: 1 },
    });
    log.verification({ outcome: 'ok', user: 'carol', ...where }, 90_000);
    expect(lines).toHaveLength(2);
    log.verification({ outcome: 'ok', user: 'carol', ...where }, 121_000);
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[2]!)).toEqual({ level: 'info', msg: 'edgelock auth cache hits', ...label, since: new Date(61_000).toISOString(), until: new Date(121_000).toISOString(), hits: { alice: 1 } });
  });
});
