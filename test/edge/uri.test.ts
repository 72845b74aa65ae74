import { parseUri } from '../../src/edge/uri';

const MAX = 1024;

describe('parseUri: URIs that are kept or normalised', () => {
  it.each<[string, string, string]>([
    // raw, decoded path, canonical uri
    ['/', '/', '/'],
    ['/index.html', '/index.html', '/index.html'],
    ['/docs/', '/docs/', '/docs/'],
    ['/~user/a_b-c.txt', '/~user/a_b-c.txt', '/~user/a_b-c.txt'],
    ['//index.html', '/index.html', '/index.html'],
    ['/a//b///c', '/a/b/c', '/a/b/c'],
    ['/a/./b.css', '/a/b.css', '/a/b.css'],
    ['/.', '/', '/'],
    ['/./', '/', '/'],
    ['/a/.', '/a/', '/a/'],
    ['/%2e', '/', '/'],
    ['/a/%2E/b', '/a/b', '/a/b'],
    ['/.hidden', '/.hidden', '/.hidden'],
    ['/a/.well-known/x', '/a/.well-known/x', '/a/.well-known/x'],
    ['/...', '/...', '/...'],
    ['/%61bout.html', '/about.html', '/about.html'],
    ['/images/photo%20one.jpg', '/images/photo one.jpg', '/images/photo%20one.jpg'],
    ['/a b', '/a b', '/a%20b'],
    ['/caf%C3%A9.html', '/café.html', '/caf%C3%A9.html'],
    ['/café.html', '/café.html', '/caf%C3%A9.html'],
    ['/a+b.html', '/a+b.html', '/a%2Bb.html'],
    ["/a(b)!'*.txt", "/a(b)!'*.txt", '/a%28b%29%21%27%2A.txt'],
    ['/a%3Fb%23c', '/a?b#c', '/a%3Fb%23c'],
    ['/%F0%9F%98%80.png', '/😀.png', '/%F0%9F%98%80.png'],
    // Decoded once, like S3: a double-encoded dot segment is a literal "%2e%2e" name, not "..".
    ['/%252e%252e/x', '/%2e%2e/x', '/%252e%252e/x'],
    ['/%252f', '/%2f', '/%252f'],
  ])('%s → path %s, uri %s', (raw, path, uri) => {
    expect(parseUri(raw, MAX)).toEqual({ ok: true, path, uri });
  });

  it('is idempotent: the canonical uri parses to itself', () => {
    for (const raw of ['/a b/c', '/caf%C3%A9/', "/x(1)'", '/%252e']) {
      const first = parseUri(raw, MAX);
      if (!first.ok) throw new Error(`${raw} was refused`);
      expect(parseUri(first.uri, MAX)).toEqual({ ok: true, path: first.path, uri: first.uri });
    }
  });
});

describe('parseUri: hostile URIs are refused with a reason', () => {
  it.each<[string, unknown, RegExp]>([
    ['empty', '', /start with "\/"/],
    ['no leading slash', 'index.html', /start with "\/"/],
    ['an absolute URL', 'http://evil.example/', /start with "\/"/],
    ['not a string', undefined, /start with "\/"/],
    ['a number', 42, /start with "\/"/],
    ['an encoded slash', '/a%2Fb', /encoded slashes/],
    ['an encoded slash, lower case', '/a%2fb', /encoded slashes/],
    ['an encoded backslash', '/a%5cb', /encoded slashes/],
    ['an encoded backslash, upper case', '/a%5Cb', /encoded slashes/],
    ['an encoded slash hiding a dot segment', '/.well-known%2f..%2fadmin', /encoded slashes/],
    ['invalid percent-encoding', '/a%zz', /percent-encoding/],
    ['a lone percent sign', '/100%', /percent-encoding/],
    ['a truncated escape', '/a%c', /percent-encoding/],
    ['overlong UTF-8 for "."', '/%c0%ae%c0%ae/', /percent-encoding/],
    ['an encoded lone surrogate (CESU-8)', '/%ED%A0%80', /percent-encoding/],
    ['a raw null byte', '/a\0b', /null byte/],
    ['an encoded null byte', '/index.html%00.jpg', /null byte/],
    ['an encoded CR LF', '/a%0d%0aSet-Cookie:x', /control characters/],
    ['a raw tab', '/a\tb', /control characters/],
    ['an encoded DEL', '/a%7f', /control characters/],
    ['a raw backslash', '/a\\b', /backslash/],
    ['a backslash dot segment', '/health\\..\\admin', /backslash/],
    ['a ".." segment', '/a/../b', /"\.\." segment/],
    ['a leading ".."', '/..', /"\.\." segment/],
    ['a trailing ".."', '/a/..', /"\.\." segment/],
    ['an encoded ".." segment', '/a/%2e%2e/b', /"\.\." segment/],
    ['a half-encoded ".." segment', '/a/.%2E/b', /"\.\." segment/],
    ['a ".." after an empty segment', '//../etc/passwd', /"\.\." segment/],
    ['a lone high surrogate', '/a\uD800b', /lone surrogate/],
    ['a lone low surrogate', '/\uDC00', /lone surrogate/],
    ['a lone surrogate next to an escape', '/%61\uD83D', /lone surrogate/],
  ])('%s', (_name, raw, reason) => {
    const r = parseUri(raw as string, MAX);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses a URI over the limit before looking at it, and accepts one exactly at it', () => {
    const at = `/${'a'.repeat(MAX - 1)}`;
    expect(parseUri(at, MAX)).toEqual({ ok: true, path: at, uri: at });
    expect(parseUri(`${at}a`, MAX)).toEqual({ ok: false, reason: `the URI is longer than ${MAX} characters` });
    // Length is judged on the raw (encoded) URI: an encoded URI under the limit decodes shorter.
    expect(parseUri(`/${'%61'.repeat(400)}`, 1201)).toEqual({ ok: true, path: `/${'a'.repeat(400)}`, uri: `/${'a'.repeat(400)}` });
    expect(parseUri(`/${'%61'.repeat(400)}`, 1200).ok).toBe(false);
    expect(parseUri(`/${'a/'.repeat(5000)}`, MAX).ok).toBe(false);
  });

  it('refuses a URI that passes the limit only once re-encoded (a raw "€" is 9 characters encoded)', () => {
    expect(parseUri(`/${'€'.repeat(100)}`, 901)).toEqual({ ok: true, path: `/${'€'.repeat(100)}`, uri: `/${'%E2%82%AC'.repeat(100)}` });
    expect(parseUri(`/${'€'.repeat(100)}`, 900)).toEqual({ ok: false, reason: 'the URI is longer than 900 characters once percent-encoded' });
  });
});
