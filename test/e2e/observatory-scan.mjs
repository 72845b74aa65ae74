// Scans https://localhost:<httpsPort> (with http://localhost:<httpPort> redirecting) with the
// Mozilla HTTP Observatory's own retriever, tests and grader, and prints the result as JSON.
// Its `scan()` only knows ports 80 and 443, so this calls the same pieces with the ports given;
// the scoring below follows `scan()` in src/scanner/index.js of @mdn/mdn-http-observatory.
// Run with NODE_EXTRA_CA_CERTS pointing at the local edge's certificate.
// Usage: node observatory-scan.mjs HTTPS_PORT HTTP_PORT
import fs from 'node:fs';
import path from 'node:path';

// The package's install script would download conf/hsts-preload.json; offline, an empty list
// stands in (localhost is on no preload list anyway).
const readFileSync = fs.readFileSync;
fs.readFileSync = function patched(file, ...rest) {
  if (typeof file === 'string' && file.endsWith(path.join('conf', 'hsts-preload.json')) && !fs.existsSync(file)) return '{}';
  return readFileSync.call(this, file, ...rest);
};

const base = '@mdn/mdn-http-observatory/src';
const { retrieve } = await import(`${base}/retriever/retriever.js`);
const { ALL_TESTS } = await import(`${base}/constants.js`);
const { getGradeForScore, getScoreModifier } = await import(`${base}/grader/grader.js`);
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(`${base}/grader/charts.js`);

const [httpsPort, httpPort] = process.argv.slice(2).map(Number);
const r = await retrieve('localhost', { httpsPort, httpPort });
if (!r.responses.auto) {
  console.log(JSON.stringify({ error: 'the site seems to be down' }));
  process.exit(1);
}
let withExtraCredit = 100;
let uncurved = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const out = test(r);
  if (out.result) {
    const modifier = getScoreModifier(out.result);
    withExtraCredit += modifier;
    if (modifier < 0) uncurved += modifier;
    tests[out.constructor.name] = { result: out.result, pass: out.pass, modifier };
  }
}
const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved);
console.log(JSON.stringify({ grade: final.grade, score: final.score, status: r.responses.auto.status, verified: r.responses.auto.verified, tests }));
