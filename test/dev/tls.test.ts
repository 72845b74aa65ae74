import { createPrivateKey, X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { devCertificate } from '../../src/dev/tls';
import { tempDir } from '../helpers/config';

test('the dev certificate covers localhost and 127.0.0.1, keeps its key private and is reused', async () => {
  const dir = tempDir('edgelock-tls-');
  const first = await devCertificate(dir);
  const x509 = new X509Certificate(first.cert);
  expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
  expect(x509.checkHost('localhost')).toBe('localhost');
  expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
  expect(Date.parse(x509.validTo) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  expect(statSync(path.join(dir, 'localhost.key')).mode & 0o777).toBe(0o600);
  const second = await devCertificate(dir);
  expect(second.cert).toBe(first.cert);
  expect(second.certFile).toBe(path.join(dir, 'localhost.crt'));
});
