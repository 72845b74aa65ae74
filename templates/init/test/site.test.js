// Tests of this project's edge config, run against the functions `edgelock build` wrote into
// dist/ (`npm test` builds first). No password is needed, and none is stored in any file.
const { loadHandler, events, runChain } = require('edgelock/testing');

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('dev asks for credentials', async () => {
  const viewerRequest = await loadHandler('dist', 'dev', 'viewer-request');
  const result = await viewerRequest(events.viewerRequest({ uri: '/' }));
  expect(result.status).toBe('401');
  expect(result.headers['www-authenticate'][0].value).toMatch(/^Basic realm="{{project}} preview"/);
});

test('a wrong password is refused', async () => {
  const viewerRequest = await loadHandler('dist', 'dev', 'viewer-request');
  const result = await viewerRequest(events.viewerRequest({ uri: '/', headers: { Authorization: basic('{{user}}', 'not the password') } }));
  expect(result.status).toBe('401');
});

test('what the viewer gets carries the security headers', async () => {
  const response = await runChain('dist', 'dev', { uri: '/' });
  expect(response.status).toBe(401);
  expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
});
