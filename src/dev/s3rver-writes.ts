/**
 * s3rver 3.7.1 answers a PutObject once the body has passed its MD5 transform, before its write
 * stream has put the bytes in the object file (`putObject` in lib/stores/filesystem.js resolves on
 * the transform's `finish`, and for a Buffer body at once). A GET right after the PUT's answer can
 * then read an empty or short file: on a loaded machine, a deploy followed by a read of what it
 * wrote. This replaces the store's putObject with one that answers only once the object file is
 * written, with the same file layout, size, MD5 and metadata.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The part of s3rver's FilesystemStore this replaces and uses. */
export interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; metadata: unknown; content: Buffer | NodeJS.ReadableStream }): Promise<{ size: number; md5: string }>;
}

export function awaitObjectWrites(store: S3rverStore): void {
  store.putObject = async (object) => {
    const file = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(path.dirname(file), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : (object.content as NodeJS.ReadableStream);
    // pipeline settles once the file's write stream has finished: the bytes are in the file.
    await pipeline(source, count, createWriteStream(file));
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
