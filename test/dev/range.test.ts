import { applyRange, evaluateRange, ifRangeHolds } from '../../src/dev/range';
import { toCfHeaders } from '../../src/dev/event';

describe('evaluateRange (RFC 9110 §14.1.2) against a 100-byte object', () => {
  test.each<[string | undefined, ReturnType<typeof evaluateRange>]>([
    [undefined, { kind: 'whole' }],
    ['bytes=0-9', { kind: 'partial', range: { start: 0, end: 9 } }],
    ['bytes=90-', { kind: 'partial', range: { start: 90, end: 99 } }],
    ['bytes=-10', { kind: 'partial', range: { start: 90, end: 99 } }],
    ['bytes=-1000', { kind: 'partial', range: { start: 0, end: 99 } }],
    ['bytes=50-1000', { kind: 'partial', range: { start: 50, end: 99 } }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=9-0', { kind: 'whole' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
  ])('%s', (range, outcome) => {
    expect(evaluateRange(range, 100)).toEqual(outcome);
  });
});

describe('applyRange', () => {
  const body = Buffer.from('0123456789abcdef');
  const whole = { status: 200, statusDescription: 'OK', headers: toCfHeaders(['Content-Type', 'text/plain', 'Content-Length', '16', 'ETag', '"e1"', 'Last-Modified', 'Wed, 01 Jan 2025 00:00:00 GMT']), body };

  test('a satisfiable range: 206, the bytes and Content-Range; the whole response is left as it was', () => {
    const r = applyRange(whole, 'bytes=2-4', undefined);
    expect([r.status, r.body.toString(), r.headers['content-range']?.[0]?.value]).toEqual([206, '234', 'bytes 2-4/16']);
    expect(r.headers['content-length']).toBeUndefined();
    expect([whole.status, whole.body.length, whole.headers['content-range']]).toEqual([200, 16, undefined]);
  });

  test('an unsatisfiable range: 416 with Content-Range bytes */size', () => {
    const r = applyRange(whole, 'bytes=16-', undefined);
    expect([r.status, r.headers['content-range']?.[0]?.value]).toEqual([416, 'bytes */16']);
    expect(r.body.toString()).toContain('<Code>InvalidRange</Code>');
  });

  test('If-Range: the range applies only to the object it names', () => {
    expect(ifRangeHolds('"e1"', whole.headers)).toBe(true);
    expect(ifRangeHolds('"e2"', whole.headers)).toBe(false);
    expect(ifRangeHolds('W/"e1"', whole.headers)).toBe(false);
    expect(ifRangeHolds('Wed, 01 Jan 2025 00:00:00 GMT', whole.headers)).toBe(true);
    expect(applyRange(whole, 'bytes=0-1', '"old"').status).toBe(200);
  });

  test('anything but a 200 is passed as it is', () => {
    const notFound = { ...whole, status: 404 };
    expect(applyRange(notFound, 'bytes=0-1', undefined)).toBe(notFound);
  });
});
