/**
 * Fills the embedded bucket from a folder: one PutObject per file, with its content type and a
 * Cache-Control (HTML revalidated on every request, everything else cached for an hour).
 * A plain upload for the local edge only; real deployments go through the deployer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { contentType } from 'mime-types';
import { EdgelockError } from '../errors';
import type { Credentials } from './sigv4';

export interface UploadOptions {
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly region: string;
  readonly bucket: string;
  readonly dir: string;
}

/** Every file under `dir`, as keys with "/" separators, sorted. Dot-files are skipped. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(key);
      else if (e.isFile()) out.push(key);
    }
  };
  walk('');
  return out.sort();
}

export function cacheControlFor(key: string): string {
  return key.endsWith('.html') ? 'no-cache' : 'public, max-age=3600';
}

/** S3 client settings that s3rver needs (path-style, checksums only when required). */
export function embeddedS3Client(endpoint: string, credentials: Credentials, region: string): S3Client {
  return new S3Client({
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Uploads the folder; returns the keys written. */
export async function uploadFolder(options: UploadOptions): Promise<string[]> {
  let keys: string[];
  try {
    keys = listFiles(options.dir);
  } catch (err) {
    throw new EdgelockError(`cannot read the site folder ${options.dir}: ${(err as Error).message}`, { cause: err });
  }
  if (keys.length === 0) throw new EdgelockError(`the site folder ${options.dir} has no files to upload`);
  const client = embeddedS3Client(options.endpoint, options.credentials, options.region);
  try {
    for (const key of keys) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: readFileSync(path.join(options.dir, key)),
          ContentType: contentType(path.extname(key)) || 'application/octet-stream',
          CacheControl: cacheControlFor(key),
        }),
      );
    }
  } finally {
    client.destroy();
  }
  return keys;
}
