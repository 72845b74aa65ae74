/**
 * Pre-flight: references in the site's HTML (and the stylesheets and manifests it links) that
 * lead to files the site does not have, resolved as the browser and the edge resolve them.
 * Pure checks on strings, and the folder walk over a real temporary folder.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EdgelockError } from '../../src/errors';
import { refuseMissingReferences, siteIndex, type MissingReference, type PreflightSettings } from '../../src/origin/deploy/preflight';
import { checkDocument, cssReferences, htmlReferences, srcsetUrls } from '../../src/origin/deploy/preflight-extract';
import { findMissingReferences, preflightSite } from '../../src/origin/deploy/preflight-read';
import { openReferenceCache, ReferenceCache, REFERENCE_CACHE_FORMAT } from '../../src/origin/deploy/reference-cache';
import { tempDir } from '../helpers/temp';

const SITE = ['index.html', 'about/index.html', 'docs/index.html', 'docs/guide.html', 'docs/diagram.png', 'img/logo.png', 'img/logo@2x.png', 'css/site.css', 'js/app.js', 'fonts/a.woff2', 'contact.html'];

function settings(over: { prettyUrls?: boolean; spaFallback?: string; ignore?: string[]; links?: boolean; hosts?: string[] } = {}): PreflightSettings {
  return {
    routing: { prettyUrls: over.prettyUrls ?? false, ...(over.spaFallback ? { spaFallback: over.spaFallback } : {}), maxUriLength: 2048, hosts: over.hosts ?? [] },
    ignore: over.ignore ?? [],
    links: over.links ?? false,
  };
}

/** The missing references of one HTML page at `key` (default index.html) of a site with SITE's files. */
function missingIn(html: string, o: Parameters<typeof settings>[0] & { key?: string; files?: string[]; skipped?: { key: string; reason: string }[] } = {}): MissingReference[] {
  const site = siteIndex(o.files ?? SITE, o.skipped ?? []);
  return [...checkDocument({ key: o.key ?? 'index.html', kind: 'html', text: html }, site, settings(o)).missing];
}

describe('what a page references', () => {
  // Each kind of reference, to a file the site does not have: found, with its line.
  test.each<[string, string, string, string]>([
    ['<img src>', '<img src="/img/missing.png">', 'img/missing.png', '<img src>'],
    ['<img srcset>', '<img src="/img/logo.png" srcset="/img/logo.png 1x, /img/missing@2x.png 2x">', 'img/missing@2x.png', '<img srcset>'],
    ['<source srcset>', '<picture><source srcset="/img/missing.webp" type="image/webp"><img src="/img/logo.png"></picture>', 'img/missing.webp', '<source srcset>'],
    ['<script src>', '<script src="/js/missing.js"></script>', 'js/missing.js', '<script src>'],
    ['<link href> stylesheet', '<link rel="stylesheet" href="/css/missing.css">', 'css/missing.css', '<link href>'],
    ['<link href> icon', '<link rel="icon" href="/favicon.ico">', 'favicon.ico', '<link href>'],
    ['<link href> apple-touch-icon', '<link rel="apple-touch-icon" href="/apple-touch-icon.png">', 'apple-touch-icon.png', '<link href>'],
    ['<link href> preload', '<link rel="preload" as="font" href="/fonts/missing.woff2" crossorigin>', 'fonts/missing.woff2', '<link href>'],
    ['<link href> modulepreload', '<link rel="modulepreload" href="/js/chunk.js">', 'js/chunk.js', '<link href>'],
    ['<link href> manifest', '<link rel="manifest" href="/site.webmanifest">', 'site.webmanifest', '<link href>'],
    ['<link imagesrcset>', '<link rel="preload" as="image" href="/img/logo.png" imagesrcset="/img/hero-800.jpg 800w, /img/logo.png 1600w">', 'img/hero-800.jpg', '<link imagesrcset>'],
    ['<video poster>', '<video src="/js/app.js" poster="/img/poster.jpg"></video>', 'img/poster.jpg', '<video poster>'],
    ['<video src>', '<video src="/media/intro.mp4"></video>', 'media/intro.mp4', '<video src>'],
    ['<track src>', '<video><track src="/media/intro.vtt" kind="captions"></video>', 'media/intro.vtt', '<track src>'],
    ['<audio src>', '<audio src="/media/a.mp3"></audio>', 'media/a.mp3', '<audio src>'],
    ['<iframe src>', '<iframe src="/embed.html"></iframe>', 'embed.html', '<iframe src>'],
    ['<object data>', '<object data="/docs/missing.pdf"></object>', 'docs/missing.pdf', '<object data>'],
    ['<embed src>', '<embed src="/docs/missing.svg">', 'docs/missing.svg', '<embed src>'],
    ['<input src>', '<input type="image" src="/img/go.png">', 'img/go.png', '<input src>'],
    ['<use xlink:href>', '<svg><use xlink:href="/img/sprite.svg#icon"></use></svg>', 'img/sprite.svg', '<use xlink:href>'],
    ['<image href>', '<svg><image href="/img/missing.svg"/></svg>', 'img/missing.svg', '<image href>'],
    ['<div style> url()', '<div style="background: url(\'/img/bg.png\') no-repeat">x</div>', 'img/bg.png', '<div style> url()'],
    ['<style> url()', '<style>body { background-image: url(/img/bg.jpg) }</style>', 'img/bg.jpg', '<style> url()'],
    ['<style> @import', '<style>@import "/css/print.css" print;</style>', 'css/print.css', '<style> @import'],
    ['<style> image-set()', '<style>.h { background: image-set("/img/h1.avif" type("image/avif"), "/img/logo.png" 1x) }</style>', 'img/h1.avif', '<style> image-set()'],
    ['<noscript> <img src>', '<noscript><img src="/img/pixel.gif"></noscript>', 'img/pixel.gif', '<img src>'],
    ['<template> <img src>', '<template><img src="/img/row.png"></template>', 'img/row.png', '<img src>'],
  ])('%s', (_label, markup, target, via) => {
    const missing = missingIn(`<!doctype html>\n<html>\n<head><title>t</title></head>\n<body>\n${markup}\n</body></html>`);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: 'index.html', line: 5, target });
    expect(missing[0]!.via).toBe(via);
    expect(missing[0]!.problem).toContain(`${target} is not in the site`);
  });

  test('present files, other origins and schemes that are not fetched from the site are not reported', () => {
    const html = [
      '<link rel="stylesheet" href="/css/site.css?v=3">',
      '<link rel="icon" href="img/logo.png#frag">',
      '<script src="https://cdn.example.com/lib.js"></script>',
      '<script src="//cdn.example.com/lib2.js"></script>',
      '<link rel="preconnect" href="https://fonts.example.com">',
      '<link rel="dns-prefetch" href="//fonts.example.com">',
      '<img src="data:image/png;base64,iVBORw0KGgo=">',
      '<img src="  /img/logo.png  ">',
      '<img src="">',
      '<a href="mailto:team@example.com">m</a><a href="tel:+15551234">t</a><a href="javascript:void(0)">j</a><a href="#top">top</a>',
      '<a href="/no-such-page">links are not checked by default</a>',
      '<div style="background:url(data:image/gif;base64,R0lGOD)"></div>',
      '<svg><use href="#local-symbol"></use></svg>',
      '<img srcset="/img/logo.png 1x, /img/logo@2x.png 2x">',
      '<style>.a{background:url("/img/logo.png?x=1")} .b{filter:url(#blur)}</style>',
    ].join('\n');
    expect(missingIn(html)).toEqual([]);
  });

  test('the query string and fragment are stripped before resolving', () => {
    expect(missingIn('<img src="/img/logo.png?v=2#x">')).toEqual([]);
    expect(missingIn('<img src="/img/nope.png?v=2#x">')[0]).toMatchObject({ target: 'img/nope.png', reference: '/img/nope.png?v=2#x' });
  });

  test('relative references resolve against the page\'s folder, root-relative ones against the site root, ".." stops at the root', () => {
    const page = { key: 'docs/guide.html' };
    expect(missingIn('<img src="diagram.png"><img src="./diagram.png"><img src="../img/logo.png"><img src="../../../img/logo.png"><img src="/img/logo.png"><img src="..\\img\\logo.png">', page)).toEqual([]);
    expect(missingIn('<img src="logo.png">', page)[0]).toMatchObject({ target: 'docs/logo.png', file: 'docs/guide.html' });
    expect(missingIn('<img src="/diagram.png">', page)[0]).toMatchObject({ target: 'diagram.png' });
  });

  test('percent-encoded references name the decoded key; a path the edge refuses is reported as such', () => {
    expect(missingIn('<img src="/img/my%20logo.png">', { files: [...SITE, 'img/my logo.png'] })).toEqual([]);
    expect(missingIn('<img src="/img/my logo.png">', { files: [...SITE, 'img/my logo.png'] })).toEqual([]);
    expect(missingIn('<img src="/img%2Flogo.png">')[0]!.problem).toMatch(/the edge refuses \/img%2Flogo.png \(encoded slashes/);
  });

  test('<base href> replaces the page\'s URL for relative references', () => {
    expect(missingIn('<base href="/img/"><img src="logo.png">', { key: 'docs/guide.html' })).toEqual([]);
    expect(missingIn('<base href="https://cdn.example.com/"><img src="anything.png">')).toEqual([]);
  });

  test('absolute URLs to the environment\'s own domain are checked as the site\'s', () => {
    const html = '<img src="https://www.example.com/img/logo.png"><img src="https://WWW.example.com/img/gone.png">';
    expect(missingIn(html, { hosts: ['www.example.com'] }).map((m) => m.target)).toEqual(['img/gone.png']);
    expect(missingIn(html)).toEqual([]);
  });

  test('lines: each reference on its own line, srcset candidates and multi-line style attributes by their own line', () => {
    const html = '<!doctype html>\n<img\n  src="/a.png"\n  srcset="/img/logo.png 1x,\n          /b.png 2x">\n<div style="color: red;\n  background: url(/c.png)"></div>\n<style>\n.x{}\n.y{background:url(/d.png)}\n</style>';
    expect(missingIn(html).map((m) => [m.target, m.line])).toEqual([
      ['a.png', 3],
      ['b.png', 5],
      ['c.png', 7],
      ['d.png', 10],
    ]);
  });
});

describe('as the edge routes paths', () => {
  test('a folder path is its index.html', () => {
    expect(missingIn('<iframe src="/about/"></iframe><iframe src="/"></iframe>')).toEqual([]);
    expect(missingIn('<iframe src="/blog/"></iframe>')[0]).toMatchObject({ target: 'blog/index.html' });
  });

  test('with origin.prettyUrls, /about is about/index.html; about.html alone is missing, with the fix', () => {
    expect(missingIn('<iframe src="/about"></iframe>', { prettyUrls: true })).toEqual([]);
    const [m] = missingIn('<iframe src="/contact"></iframe>', { prettyUrls: true });
    expect(m).toMatchObject({ target: 'contact/index.html' });
    expect(m!.problem).toContain('link /contact.html, or move contact.html to contact/index.html');
  });

  test('without pretty URLs, /about is the key "about", with the fix', () => {
    const [m] = missingIn('<iframe src="/about"></iframe>');
    expect(m).toMatchObject({ target: 'about' });
    expect(m!.problem).toContain('link /about/ or turn on origin.prettyUrls');
    expect(missingIn('<iframe src="/contact"></iframe>')[0]!.problem).toContain('link /contact.html');
  });

  test('with pretty URLs a folder\'s page is also served at /docs, where relative references resolve against the root', () => {
    const [m] = missingIn('<img src="diagram.png">', { key: 'docs/index.html', prettyUrls: true });
    expect(m).toMatchObject({ file: 'docs/index.html', target: 'diagram.png' });
    expect(m!.problem).toContain('when the page is viewed at /docs');
    expect(missingIn('<img src="diagram.png">', { key: 'docs/index.html' })).toEqual([]);
  });

  test('with a SPA fallback, extensionless paths are the fallback document; files with extensions must exist', () => {
    expect(missingIn('<iframe src="/users/42"></iframe>', { spaFallback: '/index.html' })).toEqual([]);
    expect(missingIn('<iframe src="/users/42"></iframe>', { spaFallback: '/app.html' })[0]!.problem).toContain('SPA fallback /app.html, which is not in the site');
    expect(missingIn('<img src="/img/x.png">', { spaFallback: '/index.html' })).toHaveLength(1);
  });
});

describe('hints, opt-outs and links', () => {
  test('a reference that differs only by case, and one to a skipped file, say so', () => {
    expect(missingIn('<img src="/img/Logo.png">')[0]!.problem).toContain('the site has img/logo.png: S3 keys are case-sensitive');
    const skipped = [{ key: '.well-known/x/.hidden.png', reason: 'dotfile or dot-folder (add a deploy.include pattern to publish it on purpose)' }];
    expect(missingIn('<img src="/.well-known/x/.hidden.png">', { skipped })[0]!.problem).toContain('it is in the site folder but not published: dotfile');
  });

  test('deploy.preflight.ignore: gitignore-style patterns over the referenced path', () => {
    const html = '<img src="/uploads/customer-1/photo.jpg"><img src="/img/gone.png"><script src="/api/config.js"></script><link rel="icon" href="/favicon.ico">';
    expect(missingIn(html).map((m) => m.target)).toEqual(['uploads/customer-1/photo.jpg', 'img/gone.png', 'api/config.js', 'favicon.ico']);
    expect(missingIn(html, { ignore: ['/uploads/', 'api/**', 'favicon.ico'] }).map((m) => m.target)).toEqual(['img/gone.png']);
    expect(missingIn(html, { ignore: ['*.jpg', '!/uploads/customer-1/photo.jpg'] }).map((m) => m.target)).toContain('uploads/customer-1/photo.jpg');
    expect(missingIn(html, { ignore: ['*'] })).toEqual([]);
  });

  test('deploy.preflight.links also checks <a href>, <area href> and <link rel=canonical>', () => {
    const html = '<a href="/docs/guide.html">ok</a>\n<a href="/no-such-page">x</a>\n<map><area href="/gone.html"></map>\n<link rel="canonical" href="/old/">';
    expect(missingIn(html)).toEqual([]);
    expect(missingIn(html, { links: true }).map((m) => [m.target, m.line, m.via])).toEqual([
      ['no-such-page', 2, '<a href>'],
      ['gone.html', 3, '<area href>'],
      ['old/index.html', 4, '<link href>'],
    ]);
  });

  test('the refusal names every file, line and reference, with the code and how to opt out', () => {
    const missing = [...missingIn('<img src="/img/gone.png">\n<img src="/uploads/a.pdf">'), ...missingIn('<script src="x.js"></script>', { key: 'docs/guide.html' })];
    const err = refuseMissingReferences(missing)!;
    expect(err).toBeInstanceOf(EdgelockError);
    expect(err.code).toBe('DEPLOY_REFUSED_MISSING_REFERENCES');
    expect(err.message).toContain('3 reference(s) in 2 file(s)');
    expect(err.message).toContain('nothing was written');
    expect(err.message).toContain('  docs/guide.html:1 <script src> "x.js": docs/x.js is not in the site');
    expect(err.message).toContain('  index.html:1 <img src> "/img/gone.png": img/gone.png is not in the site');
    expect(err.message).toContain('  index.html:2 <img src> "/uploads/a.pdf"');
    expect(err.message.indexOf('docs/guide.html:1')).toBeLessThan(err.message.indexOf('index.html:1 '));
    expect(err.message).toContain('preflight: { ignore: ["/docs/"] }');
    expect(refuseMissingReferences([])).toBeUndefined();
  });
});

describe('parsers', () => {
  test('srcset URLs may hold commas; descriptors may hold parentheses', () => {
    expect(srcsetUrls('a.png 1x, b,c.png 2x,d.png, e.png (x, y) 3x,  ,f.png').map((c) => c.url)).toEqual(['a.png', 'b,c.png', 'd.png', 'e.png', 'f.png']);
  });

  test('CSS: url() forms, @import forms, image-set() strings; other strings are not references', () => {
    const css = '@import url(a.css); @import "b.css"; @import url("c.css") screen; .x{background:url( d.png );content:"e.png";mask:url(\'f.svg\')} .y{background:-webkit-image-set("g.png" 1x, url(h.png) 2x)} @font-face{src:url(i.woff2) format("woff2")}';
    expect(cssReferences(css).map((r) => [r.url, r.isImport])).toEqual([
      ['a.css', true],
      ['b.css', true],
      ['c.css', true],
      ['d.png', false],
      ['f.svg', false],
      ['g.png', false],
      ['h.png', false],
      ['i.woff2', false],
    ]);
  });

  test('HTML is parsed, not matched: attributes in comments, scripts and text are not references', () => {
    const html = '<!-- <img src="/a.png"> --><script>const s = \'<img src="/b.png">\';</script><p>src="/c.png"</p><textarea><img src="/d.png"></textarea><img data-src="/e.png" alt=\'src="/f.png"\'>';
    expect(htmlReferences(html).references).toEqual([]);
  });
});

function folder(files: Record<string, string>): { dir: string; local: { key: string; path: string; size: number; md5: string; etag: string; multipart: boolean }[] } {
  const dir = tempDir('edgelock-preflight-');
  const local = Object.entries(files).map(([key, text]) => {
    const file = path.join(dir, key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    const md5 = createHash('md5').update(text).digest('hex');
    return { key: `site/${key}`, path: file, size: text.length, md5, etag: md5, multipart: false };
  });
  return { dir, local };
}

describe('the folder walk: linked stylesheets and manifests are read and checked in turn', () => {
  test('a missing font in a linked stylesheet, one it imports, and a manifest\'s icons are found with their lines', async () => {
    const { local } = folder({
      'index.html': '<!doctype html>\n<link rel="stylesheet" href="css/site.css">\n<link rel="manifest" href="/app.webmanifest">',
      'about.html': '<link rel="stylesheet" href="/css/site.css">',
      'css/site.css': '@import "theme.css";\nbody{font-family:x}\n@font-face{font-family:x;src:url(../fonts/x.woff2)}',
      'css/theme.css': '.a{}\n.b{background:url(/img/missing.png)}',
      'app.webmanifest': '{\n  "name": "App",\n  "icons": [\n    { "src": "icons/192.png", "sizes": "192x192" },\n    { "src": "icons/512.png", "sizes": "512x512" }\n  ],\n  "start_url": "/nowhere/"\n}',
      'icons/192.png': 'png',
    });
    const missing = await findMissingReferences(local, [], 'site/', settings());
    expect(missing.map((m) => [m.file, m.line, m.via, m.target]).sort()).toEqual([
      ['app.webmanifest', 5, 'icons[1].src', 'icons/512.png'],
      ['css/site.css', 3, 'url()', 'fonts/x.woff2'],
      ['css/theme.css', 2, 'url()', 'img/missing.png'],
    ]);
    // Each document is read once, though two pages link the stylesheet; start_url is navigation.
    expect((await findMissingReferences(local, [], 'site/', settings({ links: true }))).map((m) => m.target)).toContain('nowhere/index.html');
  });

  test('a manifest that is not JSON is reported', async () => {
    const { local } = folder({ 'index.html': '<link rel="manifest" href="/m.json">', 'm.json': '{ icons: [] }' });
    const [m] = await findMissingReferences(local, [], 'site/', settings());
    expect(m!.problem).toMatch(/m.json is linked as a manifest, but it is not valid JSON/);
  });

  test('the example site passes', async () => {
    const dir = path.join(__dirname, '..', '..', 'examples', 'site');
    const { scanSite } = await import('../../src/origin/deploy/local-files');
    const scanned = await scanSite(dir);
    expect(scanned.files.filter((f) => f.key.endsWith('.html')).length).toBeGreaterThan(0);
    expect(await findMissingReferences(scanned.files, scanned.skipped, '', settings())).toEqual([]);
    // It does link a missing page on purpose (to show the 404 page): navigation checks find it.
    expect((await findMissingReferences(scanned.files, scanned.skipped, '', settings({ links: true }))).map((m) => m.target)).toEqual(['no-such-page']);
  });
});

describe('the reference cache: a page is parsed once; its references are resolved on every deploy', () => {
  const SITE = {
    'index.html': '<link rel="stylesheet" href="/app.css">\n<img src="logo.png">',
    'about/index.html': '<img src="../logo.png"><img src="/photo.jpg">',
    'app.css': 'body { background: url(bg.png) }',
    'logo.png': 'png',
    'photo.jpg': 'jpg',
    'bg.png': 'png',
  };
  const run = (local: ReturnType<typeof folder>['local'], cacheDir: string, o: Parameters<typeof settings>[0] = {}) => {
    const refs = openReferenceCache(cacheDir);
    return preflightSite(local, [], 'site/', settings(o), refs.cache).then((r) => ({ ...r, note: refs.close() }));
  };

  test('a second run reads and parses no document and finds the same; the cache file is its owner\'s alone', async () => {
    const { local } = folder(SITE);
    const cacheDir = tempDir('edgelock-refcache-');
    const first = await run(local, cacheDir);
    expect(first).toMatchObject({ missing: [], documents: { cached: 0, parsed: 3 } });
    expect(first.note).toBeUndefined();
    const file = path.join(cacheDir, 'references.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: REFERENCE_CACHE_FORMAT, entries: expect.any(Object) });
    // The documents are gone from the folder: only the cache can answer.
    const second = await run(local.map((f) => ({ ...f, path: path.join(cacheDir, 'gone', f.key) })), cacheDir);
    expect(second).toMatchObject({ missing: [], documents: { cached: 3, parsed: 0 } });
  });

  test('a changed page is parsed again; the others come from the cache', async () => {
    const cacheDir = tempDir('edgelock-refcache-');
    await run(folder(SITE).local, cacheDir);
    const changed = folder({ ...SITE, 'about/index.html': '<img src="/nowhere.png">' });
    const r = await run(changed.local, cacheDir);
    expect(r.documents).toEqual({ cached: 2, parsed: 1 });
    expect(r.missing.map((m) => [m.file, m.target])).toEqual([['about/index.html', 'nowhere.png']]);
  });

  test('an unchanged page whose asset left the site still refuses the deploy: only parsing is cached', async () => {
    const cacheDir = tempDir('edgelock-refcache-');
    await run(folder(SITE).local, cacheDir);
    const { 'photo.jpg': _gone, ...rest } = SITE;
    const r = await run(folder(rest).local, cacheDir);
    expect(r.documents).toEqual({ cached: 3, parsed: 0 });
    expect(r.missing.map((m) => [m.file, m.line, m.target])).toEqual([['about/index.html', 1, 'photo.jpg']]);
  });

  test('a config change reaches cached pages: deploy.preflight.ignore and the routing are applied on every run', async () => {
    const cacheDir = tempDir('edgelock-refcache-');
    const { 'photo.jpg': _gone, ...rest } = SITE;
    const { local } = folder(rest);
    expect((await run(local, cacheDir)).missing).toHaveLength(1);
    const ignored = await run(local, cacheDir, { ignore: ['/photo.jpg'] });
    expect(ignored).toMatchObject({ missing: [], documents: { cached: 3, parsed: 0 } });
  });

  test.each<[string, string | ((file: string) => void), RegExp]>([
    ['not JSON', '{', /ignored \(it is not JSON\)/],
    ['another format', JSON.stringify({ format: 'edgelock.digest-cache/1', entries: {} }), /it is not a edgelock\.reference-cache\/1 file/],
    ['another edgelock version', JSON.stringify({ format: REFERENCE_CACHE_FORMAT, edgelock: '0.0.1', entries: {} }), /it was written by edgelock 0\.0\.1/],
    ['a malformed entry', (file) => {
      const good = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
      good.entries[Object.keys(good.entries)[0]!] = { references: [{ url: 'x', via: 'v', role: 'script' }] };
      writeFileSync(file, JSON.stringify(good), { mode: 0o600 });
    }, /its entry "html:[0-9a-f]{32}" is malformed/],
    ['writable by others', (file) => chmodSync(file, 0o666), /another user owns it or may write it/],
  ])('a cache file %s is ignored with a note, every page is parsed and the cache rewritten', async (_name, spoil, note) => {
    const cacheDir = tempDir('edgelock-refcache-');
    const { local } = folder(SITE);
    await run(local, cacheDir);
    const file = path.join(cacheDir, 'references.json');
    if (typeof spoil === 'string') writeFileSync(file, spoil, { mode: 0o600 });
    else spoil(file);
    const r = await run(local, cacheDir);
    expect(r).toMatchObject({ missing: [], documents: { cached: 0, parsed: 3 }, note: expect.stringMatching(note) });
    if (typeof spoil === 'string') expect((await run(local, cacheDir)).documents).toEqual({ cached: 3, parsed: 0 });
  });

  test('a cache it cannot write is a note, never a failed pre-flight', async () => {
    const cacheDir = tempDir('edgelock-refcache-');
    mkdirSync(path.join(cacheDir, 'references.json'));
    const r = await run(folder(SITE).local, cacheDir);
    expect(r.missing).toEqual([]);
    expect(r.note).toMatch(/could not be written \((EISDIR|EEXIST|ENOTEMPTY|EPERM)\); the next deploy parses every page again/);
  });

  test('entries for documents that left the site are dropped', () => {
    const cache = ReferenceCache.parse(JSON.stringify({ format: REFERENCE_CACHE_FORMAT, edgelock: 'v', entries: { [`html:${'a'.repeat(32)}`]: { references: [] }, [`html:${'b'.repeat(32)}`]: { references: [] } } }), 'v');
    expect(cache.get('html', 'a'.repeat(32))).toEqual({ references: [] });
    expect(cache.get('stylesheet', 'a'.repeat(32))).toBeUndefined();
    expect(cache.dirty).toBe(true);
    expect(Object.keys((JSON.parse(cache.serialize('v')) as { entries: object }).entries)).toEqual([`html:${'a'.repeat(32)}`]);
  });
});
