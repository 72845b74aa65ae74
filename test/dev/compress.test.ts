import { gunzipSync } from 'node:zlib';
import { chooseEncoding, compressFor, MAX_COMPRESS_BYTES, MIN_COMPRESS_BYTES } from '../../src/dev/compress';
import { toCfHeaders } from '../../src/dev/event';

describe('edge compression', () => {
  test.each<[string[], string | undefined]>([
    [['gzip, deflate, br'], 'br'],
    [['gzip'], 'gzip'],
    [['br;q=0, gzip'], 'gzip'],
    [['identity'], undefined],
    [[], undefined],
  ])('Accept-Encoding %j → %s', (accept, encoding) => {
    expect(chooseEncoding(accept)).toBe(encoding);
  });

  const response = (size: number, type = 'text/html; charset=utf-8', extra: string[] = []) => ({
    status: 200,
    headers: toCfHeaders(['Content-Type', type, 'ETag', '"abc"', ...extra]),
    body: Buffer.alloc(size, 'a'),
  });

  test('the size window: 1,000 to 10,000,000 bytes', () => {
    expect(compressFor(response(MIN_COMPRESS_BYTES - 1), ['gzip'], 'GET').headers['content-encoding']).toBeUndefined();
    const gz = compressFor(response(MIN_COMPRESS_BYTES), ['gzip'], 'GET');
    expect(gz.headers['content-encoding']?.[0]?.value).toBe('gzip');
    expect(gunzipSync(gz.body).length).toBe(MIN_COMPRESS_BYTES);
    expect(gz.headers.etag?.[0]?.value).toBe('W/"abc"');
    expect(compressFor(response(MAX_COMPRESS_BYTES + 1), ['gzip'], 'GET').headers['content-encoding']).toBeUndefined();
  });

  test('not compressed: another type, an encoded body, a non-200, a HEAD', () => {
    expect(compressFor(response(5_000, 'image/png'), ['br'], 'GET').headers['content-encoding']).toBeUndefined();
    expect(compressFor(response(5_000, 'text/css', ['Content-Encoding', 'gzip']), ['br'], 'GET').headers['content-encoding']?.[0]?.value).toBe('gzip');
    expect(compressFor({ ...response(5_000), status: 206 }, ['br'], 'GET').headers['content-encoding']).toBeUndefined();
    expect(compressFor(response(5_000), ['br'], 'HEAD').headers['content-encoding']).toBeUndefined();
  });
});
