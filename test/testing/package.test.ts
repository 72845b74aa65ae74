/**
 * edgelock/testing as users import it: the package's `exports` map, the compiled lib (run
 * `npm run compile` first) and the recorded JSON copied next to it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

test('require("edgelock/testing") resolves to lib and gives the kit, recorded events included', () => {
  const script = `
    const t = require('edgelock/testing');
    const e = t.recorded.originRequest('oai');
    process.stdout.write(JSON.stringify({
      file: require.resolve('edgelock/testing'),
      exports: ['loadHandler', 'runChain', 'events', 'recorded', 'LambdaEdgeValidationError'].filter((k) => t[k] === undefined),
      authMethod: e.Records[0].cf.request.origin.s3.authMethod,
      built: t.events.viewerRequest({ uri: '/x' }).Records[0].cf.request.uri,
      names: t.recorded.names.length,
    }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
  expect(out).toEqual({ file: path.join(ROOT, 'lib', 'src', 'testing', 'index.js'), exports: [], authMethod: 'origin-access-identity', built: '/x', names: 10 });
});

test('the package.json exports "./testing" with its types', () => {
  const pkg = require('../../package.json') as { exports: Record<string, unknown> };
  expect(pkg.exports['./testing']).toEqual({ types: './lib/src/testing/index.d.ts', default: './lib/src/testing/index.js' });
});
