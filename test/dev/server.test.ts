import http from 'node:http';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describeDistribution, describeViewerTls } from '../../src/distribution';
import { LocalEdge } from '../../src/dev/edge';
import { devCertificate } from '../../src/dev/tls';
import { tempDir } from '../helpers/temp';
import { startDevServer } from '../../src/dev/server';

const edge = new LocalEdge({
  handlers: {},
  env: { bucketDomain: 'b.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac' },
  origin: { description: 'stub', fetch: async () => ({ status: 200, statusDescription: 'OK', headers: {}, body: Buffer.from('hello') }) },
  description: describeDistribution({ allowedMethods: ['GET', 'HEAD', 'POST'] }),
});

describe('dev server', () => {
  test('a port in use is a clear error, not a crash', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await expect(startDevServer({ edge, port })).rejects.toThrow(`the local edge cannot listen on 127.0.0.1:${port} (http): the port is in use; pick another with --port`);
    } finally {
      blocker.close();
    }
  });

  test('a request body over the limit is refused with 413 before the edge sees it', async () => {
    const server = await startDevServer({ edge, port: 0, maxBodyBytes: 8 });
    try {
      const big = await fetch(`${server.url}/x`, { method: 'POST', body: 'x'.repeat(9) });
      expect(big.status).toBe(413);
      const small = await fetch(`${server.url}/x`, { method: 'POST', body: 'x'.repeat(8) });
      expect([small.status, await small.text()]).toEqual([200, 'hello']);
    } finally {
      await server.close();
    }
  });

  test('redirect to https: 301 for GET and HEAD, 307 for other methods, as CloudFront\'s redirect-to-https', async () => {
    const cert = await devCertificate(tempDir('edgelock-tls-'));
    const server = await startDevServer({ edge, port: 0, tls: { key: cert.key, cert: cert.cert, redirectPort: 0 } });
    try {
      for (const [method, status] of [['GET', 301], ['HEAD', 301], ['POST', 307], ['PUT', 307], ['DELETE', 307]] as const) {
        const r = await fetch(`${server.redirectUrl}/form?x=1`, { method, redirect: 'manual', ...(method === 'POST' || method === 'PUT' ? { body: 'a=1' } : {}) });
        expect({ method, status: r.status, location: r.headers.get('location') }).toEqual({ method, status, location: `https://localhost:${server.port}/form?x=1` });
      }
    } finally {
      await server.close();
    }
  });

  /** The protocol a TLS 1.1 client ends up with, or the handshake error. */
  function handshake(port: number, version: 'TLSv1.1' | 'TLSv1.2'): Promise<string> {
    return new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' }, () => {
        resolve(socket.getProtocol() ?? 'none');
        socket.end();
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(`refused: ${err.code ?? err.message}`));
    });
  }

  test.each([
    ['a custom domain with an ACM certificate (TLSv1.2_2021)', { domain: 'dev.example.com', certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/x' }, /^refused/],
    ['the default *.cloudfront.net certificate (TLSv1)', {}, /^TLSv1\.1$/],
  ])('--https offers what %s offers: TLS 1.1', async (_name, env, outcome) => {
    const viewerTls = describeViewerTls(env);
    const cert = await devCertificate(tempDir('edgelock-tls-'));
    const server = await startDevServer({ edge, port: 0, tls: { key: cert.key, cert: cert.cert, redirectPort: 0, minVersion: viewerTls.minimumTlsVersion } });
    try {
      expect(await handshake(server.port, 'TLSv1.1')).toMatch(outcome);
      expect(await handshake(server.port, 'TLSv1.2')).toBe('TLSv1.2');
    } finally {
      await server.close();
    }
  });
});
