/** Log files under s3://bucket/prefix, read with the SDK (loaded only for s3:// targets). */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EdgelockError } from '../../errors';
import { errorName } from '../s3/errors';
import type { LogSource } from './read';

export async function listS3(client: S3Client, bucket: string, prefix: string): Promise<LogSource[]> {
  const out: LogSource[] = [];
  let token: string | undefined;
  try {
    do {
      const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of r.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        const key = o.Key;
        out.push({
          name: `s3://${bucket}/${key}`,
          size: o.Size ?? 0,
          open: async () => {
            const g = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return g.Body as unknown as AsyncIterable<Uint8Array>;
          },
        });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  } catch (err) {
    const message = (err as { message?: string }).message;
    throw new EdgelockError(`cannot list s3://${bucket}/${prefix}: ${errorName(err) ?? 'Error'}: ${message ?? ''} (check the bucket name, the region (AWS_REGION) and s3:ListBucket permission)`, { code: 'LOGS_UNREADABLE', cause: err });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

