import { getHeader } from '../../src/edge/headers';
import { HANDLER_SOURCES, invoke, recordedEvent, testConfigInput, type EdgeHandlers, type Handler } from './bundles';

type Result = { status: string; statusDescription?: string; headers: Record<string, { key?: string; value: string }[]>; body?: string };

const SECURITY = [
  'strict-transport-security',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
];

describe.each(HANDLER_SOURCES)('origin-response (%s)', (_kind, load) => {
  let bundles: EdgeHandlers;
  let handler: Handler;
  beforeAll(async () => {
    bundles = await load();
    handler = bundles.handler('dev', 'origin-response');
  });
  afterAll(() => bundles.cleanup());

  it.each(['origin-response-200', 'origin-response-403', 'origin-response-404'])('%s: adds every security header, strips S3 headers, keeps status and the rest', async (name) => {
    const event = recordedEvent(name);
    const before = structuredClone(event.Records[0].cf.response);
    const r = await invoke<Result>(handler, event);
    expect(r.status).toBe(before.status);
    expect(r.statusDescription).toBe(before.statusDescription);
    for (const h of SECURITY) expect(getHeader(r.headers, h)).toBeTruthy();
    expect(Object.keys(r.headers).filter((k) => k === 'server' || k.startsWith('x-amz-'))).toEqual([]);
    expect(r.headers.via).toEqual(before.headers.via);
    expect(r.headers['content-type']).toEqual(before.headers['content-type']);
    expect(r.headers.date).toEqual(before.headers.date);
    if (before.headers['transfer-encoding']) expect(r.headers['transfer-encoding']).toEqual(before.headers['transfer-encoding']);
  });

  it('regression: drops the x-amz-* headers a deny list let through, and any header not allow-listed', async () => {
    const event = recordedEvent('origin-response-200');
    const headers = event.Records[0].cf.response.headers;
    for (const name of ['x-amz-delete-marker', 'x-amz-missing-meta', 'x-amz-request-charged', 'x-amz-archive-status', 'x-amz-bucket-region', 'x-unknown']) headers[name] = [{ key: name, value: '1' }];
    headers['content-disposition'] = [{ key: 'Content-Disposition', value: 'inline' }];
    const etag = structuredClone(headers.etag);
    expect(etag).toBeDefined();
    const r = await invoke<Result>(handler, event);
    expect(Object.keys(r.headers).filter((k) => k.startsWith('x-amz-') || k === 'x-unknown')).toEqual([]);
    expect(getHeader(r.headers, 'content-disposition')).toBe('inline');
    expect(r.headers.etag).toEqual(etag);
  });

  it('replaces a weaker value sent by the origin', async () => {
    const event = recordedEvent('origin-response-200');
    event.Records[0].cf.response.headers['x-frame-options'] = [{ key: 'X-Frame-Options', value: 'ALLOWALL' }];
    event.Records[0].cf.response.headers['strict-transport-security'] = [{ key: 'strict-transport-security', value: 'max-age=60' }];
    const r = await invoke<Result>(handler, event);
    expect(r.headers['x-frame-options']).toEqual([{ key: 'X-Frame-Options', value: 'DENY' }]);
    expect(getHeader(r.headers, 'strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });

  describe('configured: keep origin values, allow-list metadata, CSP per path', () => {
    let b: EdgeHandlers;
    let h: Handler;
    beforeAll(async () => {
      b = await load(
        testConfigInput({
          headers: {
            originValues: { 'content-security-policy': 'keep' },
            keepOriginHeaders: ['x-amz-meta-build'],
            cspOverrides: [{ path: '/app/*', policy: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" }],
            custom: { 'X-Robots-Tag': 'noindex, nofollow' },
          },
          origin: { spaFallback: '/index.html' },
        }),
      );
      h = b.handler('dev', 'origin-response');
    });
    afterAll(() => b.cleanup());

    it('keeps the origin\'s CSP and the allow-listed x-amz-meta-build, strips the rest', async () => {
      const event = recordedEvent('origin-response-200');
      event.Records[0].cf.response.headers['content-security-policy'] = [{ key: 'Content-Security-Policy', value: "default-src 'none'" }];
      const r = await invoke<Result>(h, event);
      expect(getHeader(r.headers, 'content-security-policy')).toBe("default-src 'none'");
      expect(getHeader(r.headers, 'x-amz-meta-build')).toBe('2025.10.12-1');
      expect(r.headers['x-amz-request-id']).toBeUndefined();
      expect(getHeader(r.headers, 'x-robots-tag')).toBe('noindex, nofollow');
    });

    it('chooses the CSP by the request path when the origin sent none', async () => {
      const event = recordedEvent('origin-response-404');
      event.Records[0].cf.request.uri = '/%61pp//main.js';
      const r = await invoke<Result>(h, event);
      expect(getHeader(r.headers, 'content-security-policy')).toContain('wasm-unsafe-eval');
      const other = recordedEvent('origin-response-404');
      other.Records[0].cf.request.uri = '/apple.js';
      const r2 = await invoke<Result>(h, other);
      expect(getHeader(r2.headers, 'content-security-policy')).toContain("frame-ancestors 'none'");
    });

    it('regression: chooses the CSP by the viewer\'s path, which origin-request hands over, not by the rewritten key', async () => {
      const cases: [string, string, RegExp][] = [
        ['/app/settings', '/index.html', /wasm-unsafe-eval/], // a SPA route under the override
        ['/app/', '/app/index.html', /wasm-unsafe-eval/],
        ['/about', '/index.html', /frame-ancestors 'none'/], // a SPA route outside it: the default
      ];
      for (const [viewerUri, key, csp] of cases) {
        const request = recordedEvent('origin-request-s3-none');
        request.Records[0].cf.request.uri = viewerUri;
        // A viewer's own copy of the header is replaced.
        request.Records[0].cf.request.headers['x-edgelock-viewer-path'] = [{ key: 'x-edgelock-viewer-path', value: '/app/x' }];
        const toOrigin = await invoke<{ uri: string; headers: Record<string, { key?: string; value: string }[]> }>(b.handler('dev', 'origin-request'), request);
        expect(toOrigin.uri).toBe(key);
        expect(getHeader(toOrigin.headers, 'x-edgelock-viewer-path')).toBe(viewerUri);
        const event = recordedEvent('origin-response-200');
        event.Records[0].cf.request = toOrigin;
        const r = await invoke<Result>(h, event);
        expect(getHeader(r.headers, 'content-security-policy')).toMatch(csp);
        expect(r.headers['x-edgelock-viewer-path']).toBeUndefined();
      }
    });
  });

  it('origin-request adds no viewer-path header when no per-path CSP needs it', async () => {
    const request = recordedEvent('origin-request-s3-none');
    request.Records[0].cf.request.uri = '/app/x';
    const toOrigin = await invoke<{ headers: Record<string, unknown> }>(bundles.handler('dev', 'origin-request'), request);
    expect(toOrigin.headers['x-edgelock-viewer-path']).toBeUndefined();
  });

  it('is built for environments without auth too', async () => {
    const r = await invoke<Result>(bundles.handler('prod', 'origin-response'), recordedEvent('origin-response-403'));
    expect(getHeader(r.headers, 'x-content-type-options')).toBe('nosniff');
  });
});
