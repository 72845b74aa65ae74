import { objectAliases, originPath } from '../../src/edge/origin-path';

const plain = { prettyUrls: false };
const pretty = { prettyUrls: true };
const spa = { prettyUrls: false, spaFallback: '/index.html' };
const spaPretty = { prettyUrls: true, spaFallback: '/app.html' };

describe('originPath: the key S3 is asked for', () => {
  it.each<[string, string, { prettyUrls: boolean; spaFallback?: string }, string]>([
    ['plain', '/', plain, '/index.html'],
    ['plain', '/docs/', plain, '/docs/index.html'],
    ['plain', '/about', plain, '/about'],
    ['plain', '/about.html', plain, '/about.html'],
    ['plain', '/v1.2/notes', plain, '/v1.2/notes'],
    ['plain', '/.well-known/x', plain, '/.well-known/x'],
    ['pretty', '/', pretty, '/index.html'],
    ['pretty', '/about', pretty, '/about/index.html'],
    ['pretty', '/about/', pretty, '/about/index.html'],
    ['pretty', '/about.html', pretty, '/about.html'],
    ['pretty', '/v1.2/notes', pretty, '/v1.2/notes/index.html'],
    ['pretty', '/a.b/c.d', pretty, '/a.b/c.d'],
    ['spa', '/dashboard/settings', spa, '/index.html'],
    ['spa', '/app.js', spa, '/app.js'],
    ['spa', '/docs/', spa, '/docs/index.html'],
    ['spa + pretty: the fallback wins', '/dashboard', spaPretty, '/app.html'],
    ['spa + pretty', '/', spaPretty, '/index.html'],
  ])('%s: %s → %s', (_name, uri, origin, expected) => {
    expect(originPath(uri, origin)).toBe(expected);
  });
});

describe('objectAliases: every viewer path served the object at a key', () => {
  it.each<[string, { prettyUrls: boolean }, string[]]>([
    ['/index.html', plain, ['/index.html', '/']],
    ['/index.html', pretty, ['/index.html', '/']],
    ['/docs/index.html', plain, ['/docs/index.html', '/docs/']],
    ['/docs/index.html', pretty, ['/docs/index.html', '/docs/', '/docs']],
    ['/a/b/index.html', pretty, ['/a/b/index.html', '/a/b/', '/a/b']],
    ['/docs/guide.html', pretty, ['/docs/guide.html']],
    ['/docs/myindex.html', pretty, ['/docs/myindex.html']],
    ['/app.js', plain, ['/app.js']],
  ])('%s (prettyUrls %p) → %j', (key, origin, expected) => {
    expect(objectAliases(key, origin)).toEqual(expected);
  });

  it('every alias of an index key maps back to that key', () => {
    for (const key of ['/docs/index.html', '/a/b/index.html', '/index.html']) {
      for (const alias of objectAliases(key, pretty)) expect(originPath(alias, pretty)).toBe(key);
    }
  });
});
