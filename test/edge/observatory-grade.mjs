#!/usr/bin/env node
// Grades a set of response headers with Mozilla HTTP Observatory's own analyzer and grader
// (npm @mdn/mdn-http-observatory), without a network scan. Input (argv[2]): JSON
// { "headers": { name: value } }. The HTTP→HTTPS redirect is CloudFront's viewer protocol
// policy (redirect-to-https), so it is modelled as http://host/ → 301 → https://host/.
// Output: JSON { grade, score, tests: { name: { result, scoreModifier, pass } } }.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const pkg = path.dirname(require.resolve('@mdn/mdn-http-observatory/package.json'));
const load = (rel) => import(pathToFileURL(path.join(pkg, rel)).href);

// The HSTS preload list is downloaded by the package's install script, which cannot run offline.
// An empty list only means "this test host is not preloaded", which is true.
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (String(file).endsWith(path.join('conf', 'hsts-preload.json'))) return '{}';
  return readFileSync.call(this, file, ...rest);
};

const { AxiosHeaders } = require(require.resolve('axios', { paths: [pkg] }));
const { Requests } = await load('src/types.js');
const { Session } = await load('src/retriever/session.js');
const { ALL_TESTS } = await load('src/constants.js');
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load('src/grader/charts.js');
const { getGradeForScore, getScoreModifier } = await load('src/grader/grader.js');

const { headers } = JSON.parse(process.argv[2]);
const host = 'preview.example.com';
const html = '<!doctype html><html><head><title>x</title></head><body></body></html>';

const response = () => ({
  headers: new AxiosHeaders(Object.entries({ 'Content-Type': 'text/html; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\n')),
  request: { headers: new AxiosHeaders() },
  status: 200,
  statusText: 'OK',
  verified: true,
  data: html,
  config: { headers: new AxiosHeaders() },
  httpEquiv: new Map(),
});

const req = new Requests(host);
req.resources.path = html;
req.responses.auto = response();
req.responses.cors = response();
req.responses.http = response();
req.responses.https = response();
req.responses.httpRedirects = [
  { url: new URL(`http://${host}/`), status: 301 },
  { url: new URL(`https://${host}/`), status: 200 },
];
req.responses.httpsRedirects = [{ url: new URL(`https://${host}/`), status: 200 }];
req.session = new Session(new URL(`https://${host}/`));

let withExtra = 100;
let uncurved = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const out = test(req);
  const modifier = out.result ? getScoreModifier(out.result) : 0;
  withExtra += modifier;
  if (modifier < 0) uncurved += modifier;
  tests[out.constructor.name] = { result: out.result, scoreModifier: modifier, pass: out.pass };
}
const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtra : uncurved;
const { grade } = getGradeForScore(score);
process.stdout.write(JSON.stringify({ grade, score, tests }));
