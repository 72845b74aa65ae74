import { headersSchema } from '../../src/config/headers';
import { getHeader } from '../../src/edge/headers';
import { KNOWN_S3_RESPONSE_HEADERS } from '../../src/edge/cloudfront';
import { basePairs, buildSecurityHeaders, keepsOriginValue, responseHeadersPolicyLimits, toResponseHeadersPolicy } from '../../src/edge/security-headers';
import { validateResult } from '../../src/edge/cloudfront';

const defaults = headersSchema.parse({});

describe('security headers from the default config', () => {
  const sec = buildSecurityHeaders(defaults);

  it.each([
    ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'],
    ['Content-Security-Policy', "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests"],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['X-XSS-Protection', '0'],
  ])('sends %s: %s', (name, value) => {
    const headers = sec.forGenerated('/');
    expect(headers[name.toLowerCase()]).toEqual([{ key: name, value }]);
  });

  it('sends a Permissions-Policy that denies powerful features', () => {
    expect(getHeader(sec.forGenerated('/'), 'permissions-policy')).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  });

  it('passes the allow-listed origin headers and drops every other one, the reported x-amz-* included', () => {
    const passed = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-disposition', 'cache-control', 'expires', 'etag', 'last-modified', 'accept-ranges', 'content-range', 'vary', 'date'];
    const dropped = ['x-amz-delete-marker', 'x-amz-missing-meta', 'x-amz-request-charged', 'x-amz-archive-status', 'x-amz-bucket-region', 'x-amz-anything-new', 'server', 'x-powered-by', 'access-control-allow-origin', 'set-cookie', 'location', 'x-cache-backend'];
    const headers: Record<string, { key: string; value: string }[]> = {};
    for (const name of [...passed, ...dropped]) headers[name] = [{ key: name, value: 'v' }];
    sec.apply(headers, '/');
    for (const name of passed) expect(headers[name]).toEqual([{ key: name, value: 'v' }]);
    for (const name of dropped) expect(headers[name]).toBeUndefined();
  });

  it('replaces origin values by default and strips headers that reveal the origin', () => {
    const headers = {
      server: [{ key: 'Server', value: 'AmazonS3' }],
      'x-amz-id-2': [{ key: 'x-amz-id-2', value: 'abc' }],
      'x-amz-request-id': [{ key: 'x-amz-request-id', value: 'abc' }],
      'x-amz-version-id': [{ key: 'x-amz-version-id', value: 'null' }],
      'x-amz-server-side-encryption': [{ key: 'x-amz-server-side-encryption', value: 'aws:kms' }],
      'x-amz-server-side-encryption-aws-kms-key-id': [{ key: 'x-amz-server-side-encryption-aws-kms-key-id', value: 'arn' }],
      'x-amz-meta-build': [{ key: 'x-amz-meta-build', value: '42' }],
      'x-frame-options': [{ key: 'X-Frame-Options', value: 'ALLOWALL' }],
      'content-type': [{ key: 'Content-Type', value: 'text/html' }],
      etag: [{ key: 'ETag', value: '"1"' }],
      via: [{ key: 'Via', value: '1.1 abc.cloudfront.net (CloudFront)' }],
    };
    const original = structuredClone(headers);
    sec.apply(headers, '/index.html');
    expect(Object.keys(headers).filter((k) => k === 'server' || k.startsWith('x-amz-'))).toEqual([]);
    expect(headers['x-frame-options']).toEqual([{ key: 'X-Frame-Options', value: 'DENY' }]);
    expect(headers['content-type']).toEqual(original['content-type']);
    expect(headers.etag).toEqual(original.etag);
    expect(validateResult('origin-response', { status: '200', headers }, { status: '200', headers: original })).toEqual([]);
  });
});

describe('security headers from a custom config', () => {
  const config = headersSchema.parse({
    hsts: { maxAge: 31536000, includeSubDomains: true, preload: true },
    cspOverrides: [{ path: '/app/*', policy: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" }],
    frameOptions: false,
    custom: { 'X-Robots-Tag': 'noindex' },
    originValues: { 'content-security-policy': 'keep', 'x-robots-*': 'keep', 'x-robots-tag': 'replace' },
    keepOriginHeaders: ['x-amz-meta-build'],
  });
  const sec = buildSecurityHeaders(config);

  it('chooses the CSP per path (first match), else the default', () => {
    expect(getHeader(sec.forGenerated('/app/main.js'), 'content-security-policy')).toContain('wasm-unsafe-eval');
    expect(getHeader(sec.forGenerated('/app'), 'content-security-policy')).toContain('wasm-unsafe-eval');
    expect(getHeader(sec.forGenerated('/apple'), 'content-security-policy')).toContain('frame-ancestors');
  });

  it('opts in to HSTS preload, drops disabled headers and adds custom ones', () => {
    const h = sec.forGenerated('/');
    expect(getHeader(h, 'strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
    expect(h['x-frame-options']).toBeUndefined();
    expect(h['x-robots-tag']).toEqual([{ key: 'X-Robots-Tag', value: 'noindex' }]);
  });

  it('keeps origin values where configured (exact entries beat prefixes) and keeps allow-listed origin headers', () => {
    const headers = {
      'content-security-policy': [{ key: 'Content-Security-Policy', value: "default-src 'none'" }],
      'x-robots-tag': [{ key: 'X-Robots-Tag', value: 'all' }],
      'x-amz-meta-build': [{ key: 'x-amz-meta-build', value: '42' }],
      'x-amz-meta-owner': [{ key: 'x-amz-meta-owner', value: 'ops' }],
    };
    sec.apply(headers, '/');
    expect(getHeader(headers, 'content-security-policy')).toBe("default-src 'none'");
    expect(getHeader(headers, 'x-robots-tag')).toBe('noindex');
    expect(getHeader(headers, 'x-amz-meta-build')).toBe('42');
    expect(headers['x-amz-meta-owner']).toBeUndefined();
  });

  it('sets a kept header when the origin did not send it', () => {
    const headers = {};
    sec.apply(headers, '/');
    expect(getHeader(headers, 'content-security-policy')).toContain("default-src 'self'");
  });

  it('never strips a read-only header, and drops everything not allow-listed', () => {
    const sec2 = buildSecurityHeaders(headersSchema.parse({}));
    const headers = {
      via: [{ key: 'Via', value: '1.1 x' }],
      'transfer-encoding': [{ key: 'Transfer-Encoding', value: 'chunked' }],
      server: [{ key: 'Server', value: 'AmazonS3' }],
      'x-something-new': [{ key: 'X-Something-New', value: '1' }],
      'set-cookie': [{ key: 'Set-Cookie', value: 'a=b' }],
    };
    sec2.apply(headers, '/');
    expect(headers.via).toEqual([{ key: 'Via', value: '1.1 x' }]);
    expect(headers['transfer-encoding']).toEqual([{ key: 'Transfer-Encoding', value: 'chunked' }]);
    expect(headers.server).toBeUndefined();
    expect(headers['x-something-new']).toBeUndefined();
    expect(headers['set-cookie']).toBeUndefined();
  });
});

describe('custom header validation', () => {
  it.each(['Connection', 'X-Amz-Cf-Id', 'X-Edge-Location', 'Via', 'Transfer-Encoding', 'Content-Length'])('refuses %s as a custom header', (name) => {
    const r = headersSchema.safeParse({ custom: { [name]: 'x' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['custom', name]);
    expect(r.error!.issues[0]!.message).toContain(name);
  });
});

describe('toResponseHeadersPolicy', () => {
  it('describes the default set as a CloudFront response headers policy', () => {
    expect(toResponseHeadersPolicy(defaults)).toEqual({
      comment: 'edgelock security headers',
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: false, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: defaults.contentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
        xssProtection: { protection: false, override: true },
      },
      customHeadersConfig: {
        items: [
          { header: 'Permissions-Policy', value: defaults.permissionsPolicy, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Cross-Origin-Resource-Policy', value: 'same-origin', override: true },
        ],
      },
      removeHeadersConfig: {
        items: KNOWN_S3_RESPONSE_HEADERS.map((header) => ({ header })),
      },
    });
  });

  it('maps keep to override: false, leaves out disabled headers and lists what a policy cannot do', () => {
    const config = headersSchema.parse({
      contentSecurityPolicy: false,
      hsts: false,
      originValues: { 'x-frame-options': 'keep' },
      cspOverrides: [{ path: '/app/*', policy: "default-src 'self'" }],
    });
    const policy = toResponseHeadersPolicy(config);
    expect(policy.securityHeadersConfig.frameOptions).toEqual({ frameOption: 'DENY', override: false });
    expect(policy.securityHeadersConfig.contentSecurityPolicy).toBeUndefined();
    expect(policy.securityHeadersConfig.strictTransportSecurity).toBeUndefined();
    const limits = responseHeadersPolicyLimits(config);
    expect(limits).toHaveLength(2);
    expect(limits[0]).toContain('/app/*');
    expect(limits[1]).toMatch(/exact name only.*x-amz-meta-\*.*allow-list/);
  });
});

describe('keepsOriginValue', () => {
  const values = { 'x-robots-*': 'keep', 'x-robots-tag-*': 'replace', 'x-frame-options': 'keep', 'x-a*': 'replace', 'x-ab*': 'keep', 'server': 'replace' } as const;
  it.each<[string, boolean]>([
    ['x-frame-options', true],
    ['server', false],
    ['x-robots-tag', true],
    ['x-robots-tag-extra', false],
    ['x-robots', false],
    ['x-a', false],
    ['x-abc', true],
    ['x-ac', false],
    ['content-type', false],
  ])('%s → keep %s (exact beats prefix, the longest prefix wins, unlisted is replaced)', (name, keep) => {
    expect(keepsOriginValue(values, name)).toBe(keep);
  });
});

describe('basePairs and minimal header sets', () => {
  it('writes HSTS without includeSubDomains when it is off', () => {
    const config = headersSchema.parse({ hsts: { maxAge: 300, includeSubDomains: false } });
    expect(basePairs(config)[0]).toEqual(['Strict-Transport-Security', 'max-age=300']);
  });

  it('with every header off, sends only the custom ones and no CSP, on generated and origin responses alike', () => {
    const config = headersSchema.parse({
      hsts: false,
      contentSecurityPolicy: false,
      frameOptions: false,
      contentTypeOptions: false,
      referrerPolicy: false,
      permissionsPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: false,
      xssProtectionOff: false,
      custom: { 'X-Robots-Tag': 'noindex' },
    });
    const sec = buildSecurityHeaders(config);
    expect(basePairs(config)).toEqual([['X-Robots-Tag', 'noindex']]);
    expect(sec.pairs('/')).toEqual([['X-Robots-Tag', 'noindex']]);
    expect(sec.forGenerated('/')).toEqual({ 'x-robots-tag': [{ key: 'X-Robots-Tag', value: 'noindex' }] });
    const headers = { 'content-security-policy': [{ key: 'Content-Security-Policy', value: "default-src *" }] };
    sec.apply(headers, '/');
    expect(getHeader(headers, 'content-security-policy')).toBe('default-src *');
    const policy = toResponseHeadersPolicy(config);
    expect(policy.securityHeadersConfig).toEqual({});
    expect(policy.customHeadersConfig).toEqual({ items: [{ header: 'X-Robots-Tag', value: 'noindex', override: true }] });
  });

  it('a per-path CSP applies even when the default CSP is off', () => {
    const sec = buildSecurityHeaders(headersSchema.parse({ contentSecurityPolicy: false, cspOverrides: [{ path: '/app/*', policy: "default-src 'self'" }] }));
    expect(getHeader(sec.forGenerated('/app/x'), 'content-security-policy')).toBe("default-src 'self'");
    expect(sec.forGenerated('/')['content-security-policy']).toBeUndefined();
  });

  it('a policy removes the known S3 headers except those kept', () => {
    const config = headersSchema.parse({ keepOriginHeaders: ['server', 'x-amz-checksum-*'] });
    const items = toResponseHeadersPolicy(config).removeHeadersConfig!.items.map((i) => i.header);
    expect(items).toContain('x-amz-delete-marker');
    expect(items).toContain('x-amz-bucket-region');
    expect(items).not.toContain('server');
    expect(items.filter((h) => h.startsWith('x-amz-checksum-'))).toEqual([]);
    expect(items).toHaveLength(KNOWN_S3_RESPONSE_HEADERS.length - 1 - KNOWN_S3_RESPONSE_HEADERS.filter((h) => h.startsWith('x-amz-checksum-')).length);
  });

  it('refuses the retired stripOriginHeaders, saying what replaced it', () => {
    const r = headersSchema.safeParse({ stripOriginHeaders: ['server'] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['stripOriginHeaders']);
    expect(r.error!.issues[0]!.message).toMatch(/no longer used.*allow-list.*keepOriginHeaders/);
  });
});
