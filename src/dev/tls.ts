/**
 * A self-signed certificate for localhost and 127.0.0.1, generated locally (nothing is
 * downloaded). Written to a folder so browsers, curl or NODE_EXTRA_CA_CERTS can be told to trust it.
 */
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { writeFileAtomic } from '../fs-atomic';

export interface DevCertificate {
  readonly key: string;
  readonly cert: string;
  /** Where the certificate (PEM) was written. */
  readonly certFile: string;
}

/** Creates a certificate valid for 30 days. */
export async function createCertificate(): Promise<{ key: string; cert: string }> {
  // Loaded here, not at start-up: the x509 library is large, and only --https needs it.
  const { generate } = await import('selfsigned');
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Reuses the certificate in `dir` while it has a day left, else writes a fresh one there. */
export async function devCertificate(dir: string): Promise<DevCertificate> {
  const certFile = path.join(dir, 'localhost.crt');
  const keyFile = path.join(dir, 'localhost.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    try {
      const cert = readFileSync(certFile, 'utf8');
      const x509 = new X509Certificate(cert);
      if (Date.parse(x509.validTo) - Date.now() > 86_400_000) return { key: readFileSync(keyFile, 'utf8'), cert, certFile };
    } catch {
      // unreadable: replace it
    }
  }
  const { key, cert } = await createCertificate();
  writeFileAtomic(keyFile, key);
  chmodSync(keyFile, 0o600);
  writeFileAtomic(certFile, cert);
  return { key, cert, certFile };
}
