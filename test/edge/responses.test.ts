import { headersSchema } from '../../src/config/headers';
import { validateResult } from '../../src/edge/cloudfront';
import { getHeader } from '../../src/edge/headers';
import { generatedResponse, htmlPage } from '../../src/edge/responses';
import { buildSecurityHeaders } from '../../src/edge/security-headers';

const security = buildSecurityHeaders(
  headersSchema.parse({ cspOverrides: [{ path: '/app/*', policy: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" }] }),
);

describe('htmlPage', () => {
  it('is a small complete UTF-8 HTML document with the title as heading', () => {
    expect(htmlPage('401 Unauthorized', 'Log in.')).toBe(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1><p>Log in.</p></body></html>\n',
    );
  });
});

describe('generatedResponse', () => {
  it.each<[string, string]>([
    ['400', 'Bad Request'],
    ['401', 'Unauthorized'],
    ['405', 'Method Not Allowed'],
    ['502', 'Bad Gateway'],
    ['418', 'Error'],
    ['500', 'Error'],
  ])('status %s is described as "%s", in statusDescription and the page', (status, reason) => {
    const r = generatedResponse(security, status, 'Text.')('/');
    expect(r.status).toBe(status);
    expect(r.statusDescription).toBe(reason);
    expect(r.body).toBe(htmlPage(`${status} ${reason}`, 'Text.'));
    expect(r.bodyEncoding).toBe('text');
  });

  it.each(['viewer-request', 'origin-request'] as const)('is never cached, carries the security headers and is valid for %s', (eventType) => {
    const r = generatedResponse(security, '401', 'Credentials, please.', [['WWW-Authenticate', 'Basic realm="R"']])('/');
    expect(getHeader(r.headers, 'content-type')).toBe('text/html; charset=utf-8');
    expect(getHeader(r.headers, 'cache-control')).toBe('no-store');
    expect(getHeader(r.headers, 'www-authenticate')).toBe('Basic realm="R"');
    expect(r.headers!['strict-transport-security']).toEqual([{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]);
    expect(getHeader(r.headers, 'x-frame-options')).toBe('DENY');
    expect(validateResult(eventType, r)).toEqual([]);
  });

  it('chooses the CSP by the path and adds per-call headers after the fixed ones', () => {
    const respond = generatedResponse(security, '405', 'No.', [['Allow', 'GET, HEAD']]);
    const app = respond('/app/x', [['Retry-After', '5']]);
    expect(getHeader(app.headers, 'content-security-policy')).toContain('wasm-unsafe-eval');
    expect(getHeader(app.headers, 'allow')).toBe('GET, HEAD');
    expect(getHeader(app.headers, 'retry-after')).toBe('5');
    expect(getHeader(respond('/').headers, 'content-security-policy')).toContain("frame-ancestors 'none'");
    expect(respond('/').headers!['retry-after']).toBeUndefined();
  });

  it('a per-call header replaces a fixed one of the same name', () => {
    const r = generatedResponse(security, '400', 'x')('/', [['cache-control', 'max-age=1']]);
    expect(r.headers!['cache-control']).toEqual([{ key: 'cache-control', value: 'max-age=1' }]);
  });

  it('returns a fresh object each call: changing one answer leaves the next alone', () => {
    const respond = generatedResponse(security, '502', 'Down.');
    const first = respond('/');
    first.headers!['x-frame-options'] = [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }];
    delete first.headers!['cache-control'];
    const second = respond('/');
    expect(getHeader(second.headers, 'x-frame-options')).toBe('DENY');
    expect(getHeader(second.headers, 'cache-control')).toBe('no-store');
    expect(second).not.toBe(first);
  });
});
