/**
 * A real S3 HTTP endpoint on loopback: s3rver 3.7.1 on 127.0.0.1, a random port, a fresh temp
 * folder, the named buckets created, and its fixed credentials. Reusable by any test.
 *
 * Limit: s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3
 * refuses without `--openssl-legacy-provider`, so in-process listings past 1,000 keys fail with
 * InternalError. Keep test buckets under 1,000 objects (bench/deploy.bench.mjs runs s3rver in its
 * own process with that flag).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { awaitObjectWrites, type S3rverStore } from '../../src/dev/s3rver-writes';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void>; store: S3rverStore };

/** The key pair s3rver accepts (its built-in account). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverHandle {
  /** e.g. http://127.0.0.1:43127 */
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  readonly credentials: typeof S3RVER_CREDENTIALS;
  /** An SDK v3 client set up the way s3rver needs (path-style, checksums only when required). */
  client(endpoint?: string): S3Client;
  stop(): Promise<void>;
}

export async function startS3rver(buckets: readonly string[]): Promise<S3rverHandle> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'edgelock-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
    vhostBuckets: false,
  });
  // As the embedded S3 does: a PUT is answered once its bytes are in the file.
  awaitObjectWrites(server.store);
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    port: addr.port,
    directory,
    credentials: S3RVER_CREDENTIALS,
    client(at = endpoint) {
      const c = new S3Client({
        endpoint: at,
        region: 'us-east-1',
        credentials: S3RVER_CREDENTIALS,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
