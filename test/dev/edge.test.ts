/**
 * CloudFront's order and rules, with stub handlers and a counting origin.
 */
import { LocalEdge, type Invoker } from '../../src/dev/edge';
import type { CfEvent, EdgeEventType as EventType } from '../../src/edge/cloudfront';
import type { Origin, OriginRequest } from '../../src/dev/origin';
import type { InvokeOutcome } from '../../src/dev/runner';

const ENV = { bucketDomain: 'b.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac' as const };

type Fn = (event: CfEvent) => unknown;

function stub(fn: Fn, calls: EventType[], type: EventType): Invoker {
  return {
    async invoke(event: unknown): Promise<InvokeOutcome> {
      calls.push(type);
      try {
        return { ok: true, result: JSON.parse(JSON.stringify(fn(event as CfEvent) ?? null)) as unknown, ms: 0 };
      } catch (e) {
        return { ok: false, failure: 'threw', message: (e as Error).message, ms: 0 };
      }
    },
  };
}

const passRequest: Fn = (e) => e.Records[0].cf.request;
const passResponse: Fn = (e) => e.Records[0].cf.response;

interface Setup {
  edge: LocalEdge;
  calls: EventType[];
  originCalls: OriginRequest[];
  logs: string[];
}

function setup(fns: Partial<Record<EventType, Fn>>, originStatus = 200, originHeaders: string[] = ['Content-Type', 'text/plain', 'Cache-Control', 'max-age=60']): Setup {
  const calls: EventType[] = [];
  const originCalls: OriginRequest[] = [];
  const logs: string[] = [];
  const handlers: Partial<Record<EventType, Invoker>> = {};
  for (const [type, fn] of Object.entries(fns) as [EventType, Fn][]) handlers[type] = stub(fn, calls, type);
  const origin: Origin = {
    description: 'stub',
    async fetch(req) {
      originCalls.push(req);
      const headers: Record<string, { key: string; value: string }[]> = {};
      for (let i = 0; i < originHeaders.length; i += 2) headers[originHeaders[i]!.toLowerCase()] = [{ key: originHeaders[i]!, value: originHeaders[i + 1]! }];
      return { status: originStatus, statusDescription: 'x', headers, body: Buffer.from(`origin ${req.uri}`) };
    },
  };
  return { edge: new LocalEdge({ handlers, origin, env: ENV, log: (l) => logs.push(l) }), calls, originCalls, logs };
}

const get = (edge: LocalEdge, target = '/a.txt', headers: string[] = ['Host', 'localhost']) => edge.handle({ clientIp: '127.0.0.1', method: 'GET', target, rawHeaders: headers });

const ALL = { 'viewer-request': passRequest, 'origin-request': passRequest, 'origin-response': passResponse, 'viewer-response': passResponse };

describe('LocalEdge flow', () => {
  test('a miss runs every trigger in CloudFront order; the hit runs only the viewer triggers', async () => {
    const s = setup(ALL);
    const miss = await get(s.edge);
    expect(miss.status).toBe(200);
    expect(miss.cache).toBe('Miss');
    expect(miss.headers['x-cache']).toEqual([{ key: 'X-Cache', value: 'Miss from cloudfront' }]);
    expect(s.calls).toEqual(['viewer-request', 'origin-request', 'origin-response', 'viewer-response']);
    s.calls.length = 0;
    const hit = await get(s.edge);
    expect(hit.headers['x-cache']![0]!.value).toBe('Hit from cloudfront');
    expect(hit.headers.age).toEqual([{ key: 'Age', value: '0' }]);
    expect(miss.headers.age).toBeUndefined();
    expect(hit.body.toString()).toBe('origin /a.txt');
    expect(s.calls).toEqual(['viewer-request', 'viewer-response']);
    expect(s.originCalls).toHaveLength(1);
  });

  test('a hit the viewer already holds (If-None-Match) is a 304 without a body; another ETag gets the object', async () => {
    const s = setup(ALL, 200, ['Content-Type', 'text/plain', 'Cache-Control', 'max-age=60', 'ETag', '"abc"']);
    await get(s.edge);
    const same = await get(s.edge, '/a.txt', ['Host', 'localhost', 'If-None-Match', 'W/"abc"']);
    expect([same.status, same.body.length, same.cache]).toEqual([304, 0, 'Hit']);
    expect(same.headers.etag).toEqual([{ key: 'ETag', value: '"abc"' }]);
    const other = await get(s.edge, '/a.txt', ['Host', 'localhost', 'If-None-Match', '"zzz", "yyy"']);
    expect([other.status, other.body.toString()]).toEqual([200, 'origin /a.txt']);
    expect(s.originCalls).toHaveLength(1);
  });

  test('origin-request sees the S3 origin object, the origin host and CloudFront\'s added headers', async () => {
    let seen: CfEvent | undefined;
    const s = setup({ ...ALL, 'origin-request': (e) => ((seen = e), e.Records[0].cf.request) });
    await get(s.edge);
    const cf = seen!.Records[0].cf;
    expect(cf.config.eventType).toBe('origin-request');
    expect(cf.request.origin).toEqual({ s3: { authMethod: 'none', customHeaders: {}, domainName: ENV.bucketDomain, path: '' } });
    expect(cf.request.headers.host).toEqual([{ key: 'Host', value: ENV.bucketDomain }]);
    expect(cf.request.headers['x-forwarded-for']![0]!.value).toBe('127.0.0.1');
    expect(cf.request.headers.via![0]!.value).toMatch(/^2\.0 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
  });

  test('a response generated in viewer-request is never cached and skips every other trigger', async () => {
    const s = setup({ ...ALL, 'viewer-request': () => ({ status: '401', headers: { 'www-authenticate': [{ key: 'WWW-Authenticate', value: 'Basic realm="x"' }] } }) });
    for (let i = 0; i < 2; i++) {
      const r = await get(s.edge);
      expect(r.status).toBe(401);
      expect(r.headers['x-cache']![0]!.value).toBe('LambdaGeneratedResponse from cloudfront');
    }
    expect(s.calls).toEqual(['viewer-request', 'viewer-request']);
    expect(s.originCalls).toHaveLength(0);
  });

  test('a response generated in origin-request is cached and skips the origin and origin-response', async () => {
    const s = setup({ ...ALL, 'origin-request': () => ({ status: '200', headers: { 'cache-control': [{ key: 'Cache-Control', value: 'max-age=60' }] }, body: 'generated' }) });
    const first = await get(s.edge);
    const second = await get(s.edge);
    expect([first.body.toString(), second.body.toString()]).toEqual(['generated', 'generated']);
    expect(second.cache).toBe('Hit');
    expect(s.calls).toEqual(['viewer-request', 'origin-request', 'viewer-response', 'viewer-request', 'viewer-response']);
    expect(s.originCalls).toHaveLength(0);
  });

  test('viewer-response does not run when the origin answers 400 or more; origin-response does', async () => {
    const s = setup(ALL, 404, ['Content-Type', 'application/xml']);
    const r = await get(s.edge);
    expect(r.status).toBe(404);
    expect(r.cache).toBe('Error');
    expect(s.calls).toEqual(['viewer-request', 'origin-request', 'origin-response']);
  });

  test('the cache keeps what origin-response returned (headers added there are served on hits)', async () => {
    const s = setup({
      ...ALL,
      'origin-response': (e) => {
        const res = e.Records[0].cf.response!;
        res.headers['x-added'] = [{ key: 'X-Added', value: 'yes' }];
        return res;
      },
    });
    await get(s.edge);
    const hit = await get(s.edge);
    expect(hit.cache).toBe('Hit');
    expect(hit.headers['x-added']).toEqual([{ key: 'X-Added', value: 'yes' }]);
  });

  test('no-cache from the origin is kept for CachingOptimized\'s minimum TTL (1 s), then fetched again', async () => {
    const s = setup(ALL, 200, ['Cache-Control', 'no-cache']);
    await get(s.edge);
    expect((await get(s.edge)).cache).toBe('Hit');
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await get(s.edge)).cache).toBe('Miss');
    expect(s.originCalls).toHaveLength(2);
  });

  test.each<[string, EventType, Fn, number, RegExp]>([
    ['an invalid viewer-request result', 'viewer-request', () => ({ status: 'abc' }), 502, /^viewer-request: invalid result → 502 LambdaValidationError: \[[a-z-]+\] /],
    ['a disallowed header from origin-response', 'origin-response', (e) => ({ ...e.Records[0].cf.response, headers: { ...e.Records[0].cf.response!.headers, 'x-cache': [{ key: 'X-Cache', value: 'no' }] } }), 502, /^origin-response: invalid result → 502 LambdaValidationError: \[disallowed-header\] .*x-cache/],
    ['a request returned from origin-response', 'origin-response', (e) => e.Records[0].cf.request, 502, /^origin-response: invalid result → 502 LambdaValidationError: \[result-shape\]/],
    ['a throw in origin-request', 'origin-request', () => { throw new Error('kaput'); }, 503, /^origin-request: the function threw: kaput → 503 LambdaExecutionError$/],
  ])('%s: answered as CloudFront does, with a log line naming the handler and the rule', async (_name, type, fn, status, log) => {
    const s = setup({ ...ALL, [type]: fn });
    const r = await get(s.edge);
    expect(r.status).toBe(status);
    expect(r.headers['x-cache']![0]!.value).toBe(status === 502 ? 'LambdaValidationError from cloudfront' : 'LambdaExecutionError from cloudfront');
    expect(s.logs).toHaveLength(1);
    expect(s.logs[0]).toMatch(log);
  });

  test('an unreachable origin is a 502', async () => {
    const edge = new LocalEdge({
      handlers: {},
      env: ENV,
      origin: { description: 'down', fetch: () => Promise.reject(new Error('ECONNREFUSED')) },
    });
    const r = await get(edge);
    expect(r.status).toBe(502);
  });
});

describe('events the emulator sends have the recorded CloudFront shapes (src/testing/recorded)', () => {
  const recorded = (name: string) => (require(`../../src/testing/recorded/${name}.json`) as CfEvent).Records[0].cf;
  const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

  test.each<[EventType, string]>([
    ['viewer-request', 'viewer-request'],
    ['origin-request', 'origin-request-s3-none'],
    ['origin-response', 'origin-response-200'],
  ])('%s matches %s.json field for field', async (type, file) => {
    const seen: Partial<Record<EventType, CfEvent>> = {};
    const record = (t: EventType, pass: Fn): Fn => (e) => ((seen[t] = e), pass(e));
    const s = setup({
      'viewer-request': record('viewer-request', passRequest),
      'origin-request': record('origin-request', passRequest),
      'origin-response': record('origin-response', passResponse),
    });
    await get(s.edge, '/a.txt?x=1', ['Host', 'localhost', 'User-Agent', 'test']);
    const mine = seen[type]!.Records[0].cf;
    const theirs = recorded(file);
    expect(keys(mine)).toEqual(keys(theirs));
    expect(keys(mine.config)).toEqual(keys(theirs.config));
    expect(mine.config.requestId).toMatch(/^[A-Za-z0-9_-]{56}$/);
    expect(keys(mine.request)).toEqual(keys(theirs.request));
    // CachingOptimized: the query string is not in the key and never forwarded past viewer-request.
    expect(mine.request.querystring).toBe(type === 'viewer-request' ? 'x=1' : '');
    expect(typeof mine.request.clientIp).toBe('string');
    for (const list of Object.values(mine.request.headers)) for (const h of list) expect(keys(h)).toEqual(['key', 'value']);
    if (theirs.request.origin) expect({ ...mine.request.origin!.s3, domainName: 'x' }).toEqual({ ...(theirs.request.origin as { s3: object }).s3, domainName: 'x' });
    if (theirs.response) {
      expect(keys(mine.response)).toEqual(keys(theirs.response));
      expect(typeof mine.response!.status).toBe('string');
    }
  });
});
