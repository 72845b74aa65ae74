import path from 'node:path';
import { directoryOrigin, regionOfDomain } from '../../src/dev/origin';
import { ROOT } from '../helpers/cli';

const site = directoryOrigin(path.join(ROOT, 'examples', 'site'));
const fetchUri = (uri: string, method = 'GET') => site.fetch({ method, uri, querystring: '', headers: {}, origin: undefined });

describe('directory origin (answers like a private S3 bucket)', () => {
  test('serves a file with its content type, length and ETag', async () => {
    const r = await fetchUri('/css/site.css');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']![0]!.value).toBe('text/css; charset=utf-8');
    expect(Number(r.headers['content-length']![0]!.value)).toBe(r.body.length);
    expect(r.headers.etag![0]!.value).toMatch(/^"[0-9a-f]{32}"$/);
  });

  test('HEAD has the headers and no body', async () => {
    const r = await fetchUri('/index.html', 'HEAD');
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
  });

  test.each([
    ['a missing key', '/nope.html'],
    ['a "folder" key', '/docs/'],
    ['the root', '/'],
    ['an encoded traversal', '/%2e%2e/%2e%2e/etc/passwd'],
    ['a plain traversal', '/../../etc/passwd'],
    ['a NUL byte', '/index.html%00.css'],
  ])('%s is 403 AccessDenied (no ListBucket), never a file outside the folder', async (_name, uri) => {
    const r = await fetchUri(uri);
    expect(r.status).toBe(403);
    expect(r.body.toString()).toContain('<Code>AccessDenied</Code>');
  });

  test('only GET and HEAD', async () => {
    expect((await fetchUri('/index.html', 'DELETE')).status).toBe(405);
  });

  test.each([
    ['b.s3.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['b.s3-us-west-2.amazonaws.com', 'us-west-2'],
    ['b.s3.amazonaws.com', 'us-east-1'],
  ])('region of %s is %s', (domain, region) => {
    expect(regionOfDomain(domain)).toBe(region);
  });
});
