/**
 * The pipeline's input artifact: a zip in the artifact bucket, read with the job's own artifact
 * credentials and unpacked into a temp folder. Entries that would land outside it are refused.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import yauzl from 'yauzl';
import { EdgelockError } from '../../errors';

export async function downloadArtifact(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } catch (err) {
    throw new EdgelockError(`could not read the input artifact s3://${bucket}/${key}: ${(err as Error).message}`, { cause: err });
  }
}

/** Unpacks a zip into `dir`; returns the number of files written. */
export function extractZip(zip: Buffer, dir: string): Promise<number> {
  const root = path.resolve(dir);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: false }, (err, file) => {
      if (err || !file) return reject(new EdgelockError(`the input artifact is not a valid zip: ${err?.message ?? 'empty'}`));
      let count = 0;
      file.on('error', (e: Error) => reject(new EdgelockError(`the input artifact is not a valid zip: ${e.message}`)));
      file.on('end', () => resolve(count));
      file.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName.replace(/\\/g, '/');
        const target = path.resolve(root, name);
        if (!target.startsWith(root + path.sep) && target !== root) {
          file.close();
          return reject(new EdgelockError(`the input artifact has an entry outside its folder ("${entry.fileName}"); refusing to unpack it`));
        }
        if (name.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          return file.readEntry();
        }
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(new EdgelockError(`could not read "${entry.fileName}" from the input artifact: ${e?.message}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => reject(new EdgelockError(`could not read "${entry.fileName}" from the input artifact: ${se.message}`)));
          stream.on('end', () => {
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, Buffer.concat(chunks));
            count++;
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}
