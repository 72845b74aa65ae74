/**
 * `edgelock dev --record DIR`: the local edge (in-process, real HTTP on loopback) writes one file
 * per function call, credentials redacted, and the files replay through edgelock/testing.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { REDACTED, startLocalEdge, type RecordedInvocation, type RunningLocalEdge } from '../../src/dev';
import { loadHandler, type CfEvent } from '../../src/testing';
import { basic, buildExample, DEMO, type ExampleBuild } from './example-build';

const SITE = path.join(__dirname, '..', '..', 'examples', 'site');

let example: ExampleBuild;
let edge: RunningLocalEdge;
let recordDir: string;

beforeAll(async () => {
  example = await buildExample();
  recordDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'edgelock-record-')), 'calls');
  edge = await startLocalEdge({ config: example.config, env: 'dev', distDir: example.distDir, port: 0, originDir: SITE, recordDir });
});
afterAll(async () => {
  await edge?.close();
  example?.cleanup();
  rmSync(path.dirname(recordDir), { recursive: true, force: true });
});

function get(uri: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${edge.url}${uri}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

const files = (): string[] => readdirSync(recordDir).sort();
const read = (name: string): RecordedInvocation => JSON.parse(readFileSync(path.join(recordDir, name), 'utf8'));

test('one sortable file per call, in order: a 401 is one viewer-request, a page the three triggers', async () => {
  expect(await get('/index.html')).toBe(401);
  expect(files()).toHaveLength(1);
  expect(await get('/docs/', { Authorization: basic(DEMO.user, DEMO.password) })).toBe(200);
  const names = files();
  expect(names).toHaveLength(4);
  expect(names.map((n) => n.replace(/^.*-\d{6}-/, ''))).toEqual(['viewer-request.json', 'viewer-request.json', 'origin-request.json', 'origin-response.json']);
  expect(names.map((n) => n.match(/-(\d{6})-/)![1])).toEqual(['000001', '000002', '000003', '000004']);
  const first = read(names[0]!);
  expect(first).toMatchObject({ trigger: 'viewer-request', failure: null, problems: [], result: { status: '401' } });
  expect(Date.parse(first.timestamp)).not.toBeNaN();
  expect(first.event.Records[0].cf.request.uri).toBe('/index.html');
  expect(read(names[2]!).event.Records[0].cf.request.origin?.s3.domainName).toBe(example.config.environments.dev!.bucketDomain);
  expect(edge.recorder?.count).toBe(4);
});

test('the Authorization header is never written in clear: the scheme stays, the credentials are a placeholder', () => {
  const credentials = Buffer.from(`${DEMO.user}:${DEMO.password}`).toString('base64');
  const texts = files().map((n) => readFileSync(path.join(recordDir, n), 'utf8'));
  for (const text of texts) {
    expect(text).not.toContain(credentials);
    expect(text).not.toContain(DEMO.password);
  }
  const authorized = read(files()[1]!);
  expect(authorized.event.Records[0].cf.request.headers.authorization).toEqual([{ key: 'Authorization', value: `Basic ${REDACTED}` }]);
  expect(authorized.redacted).toContain('$.event.Records[0].cf.request.headers.authorization[0].value');
});

test('recorded events replay in a unit test with loadHandler, to the same result', async () => {
  const [, , originRequestFile, originResponseFile] = files();
  for (const name of [originRequestFile!, originResponseFile!]) {
    const rec = read(name);
    const handler = await loadHandler(example.distDir, 'dev', rec.trigger as 'origin-request' | 'origin-response');
    expect(await handler(rec.event as CfEvent)).toEqual(rec.result);
  }
  // The redacted credentials are no credentials: replayed, the viewer-request asks for them.
  const viewer = await loadHandler(example.distDir, 'dev', 'viewer-request');
  expect(await viewer(read(files()[1]!).event)).toMatchObject({ status: '401' });
});

test('redaction covers Proxy-Authorization, any spelling of the map key and a value without a scheme', async () => {
  const { redactCredentials } = await import('../../src/dev');
  const paths: string[] = [];
  const out = redactCredentials({ headers: { 'proxy-authorization': [{ key: 'Proxy-Authorization', value: 'Basic c2VjcmV0' }], Authorization: [{ value: 'token123' }], accept: [{ value: 'x' }] } }, '$', paths);
  expect(out.headers).toEqual({ 'proxy-authorization': [{ key: 'Proxy-Authorization', value: `Basic ${REDACTED}` }], Authorization: [{ value: REDACTED }], accept: [{ value: 'x' }] });
  expect(paths).toEqual(['$.headers.proxy-authorization[0].value', '$.headers.Authorization[0].value']);
});
