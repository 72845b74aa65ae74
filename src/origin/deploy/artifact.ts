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
    throw new EdgelockError(`could not read the input artifact s3://${bucket}/${key}: ${(err as Error).message}`, { code: 'DEPLOY_REFUSED', cause: err });
  }
}

/** Unpacks a zip into `dir`; returns the number of files written. */
export function extractZip(zip: Buffer, dir: string): Promise<number> {
  const root = path.resolve(dir);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: false }, (err, file) => {
      if (err || !file) return reject(new EdgelockError(`the input artifact is not a valid zip: ${err?.message ?? 'empty'}`, { code: 'DEPLOY_REFUSED' }));
      let count = 0;
      let settled = false;
      // Every failure ends here, including a throw from the file system inside yauzl's callbacks,
      // which would otherwise be uncaught and leave the promise (and the pipeline job) hanging.
      const fail = (error: EdgelockError): void => {
        if (settled) return;
        settled = true;
        try {
          file.close();
        } catch {
          // already closed
        }
        reject(error);
      };
      const cannotWrite = (entry: yauzl.Entry, e: unknown): EdgelockError =>
        new EdgelockError(`could not unpack "${entry.fileName}" from the input artifact: ${(e as Error).message}. Check the artifact for an entry that is both a file and a folder.`, { code: 'DEPLOY_REFUSED', cause: e });
      file.on('error', (e: Error) => fail(new EdgelockError(`the input artifact is not a valid zip: ${e.message}`, { code: 'DEPLOY_REFUSED' })));
      file.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(count);
      });
      file.on('entry', (entry: yauzl.Entry) => {
        if (settled) return;
        const name = entry.fileName.replace(/\\/g, '/');
        const target = path.resolve(root, name);
        if (!target.startsWith(root + path.sep) && target !== root) {
          return fail(new EdgelockError(`the input artifact has an entry outside its folder ("${entry.fileName}"); refusing to unpack it`, { code: 'DEPLOY_REFUSED' }));
        }
        if (name.endsWith('/')) {
          try {
            // A folder entry for the root itself ("./") has nothing to create.
            if (target !== root) mkdirSync(target, { recursive: true });
          } catch (e) {
            return fail(cannotWrite(entry, e));
          }
          return file.readEntry();
        }
        if (target === root) {
          return fail(new EdgelockError(`the input artifact has a file entry that names its folder itself ("${entry.fileName}"); refusing to unpack it`, { code: 'DEPLOY_REFUSED' }));
        }
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(new EdgelockError(`could not read "${entry.fileName}" from the input artifact: ${e?.message}`, { code: 'DEPLOY_REFUSED' }));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => fail(new EdgelockError(`could not read "${entry.fileName}" from the input artifact: ${se.message}`, { code: 'DEPLOY_REFUSED' })));
          stream.on('end', () => {
            if (settled) return;
            try {
              mkdirSync(path.dirname(target), { recursive: true });
              writeFileSync(target, Buffer.concat(chunks));
            } catch (we) {
              return fail(cannotWrite(entry, we));
            }
            count++;
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}
