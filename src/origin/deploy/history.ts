/**
 * The deploy history of an environment: every deploy record under `.edgelock/deploys/<prefix>`,
 * newest first, for `edgelock deploys` and a later rollback. Reads only.
 */
import { EdgelockError } from '../../errors';
import { runPool } from '../pool';
import { connectEnvironment } from './clients';
import { resolveDeployOptions } from './options';
import { parseRecord, recordFolder, type DeployRecord } from './record';
import type { StoredRecord } from './rollback-plan';
import { getText, listBucket, type S3Io } from './s3-io';
import type { DeployOptions } from './types';

export interface DeployHistoryEntry {
  readonly key: string;
  readonly id: string;
  readonly time?: string;
  readonly objects?: number;
  readonly bytes?: number;
  readonly retained?: number;
  readonly adopted?: boolean;
  readonly previous?: string;
  /** Written by `edgelock rollback`: the deploy whose objects it restored. */
  readonly rollbackOf?: string;
  /** The record is not one edgelock wrote (or not readable as one). */
  readonly problem?: string;
}

const RECORD_NAME = /^(\d{8}T\d{9}Z-[0-9a-f]{6})\.json$/;

export function historyEntry(key: string, record: DeployRecord): DeployHistoryEntry {
  return {
    key,
    id: record.id,
    time: record.time,
    objects: record.objects.length,
    bytes: record.objects.reduce((n, o) => n + o.size, 0),
    retained: record.retained.length,
    adopted: record.adopted,
    ...(record.previous ? { previous: record.previous } : {}),
    ...(record.rollbackOf ? { rollbackOf: record.rollbackOf } : {}),
  };
}

/** Every record of the prefix, newest first, parsed; one that cannot be trusted carries its problem instead. */
export async function readRecords(io: S3Io, prefix: string): Promise<StoredRecord[]> {
  const folder = recordFolder(prefix);
  const keys = (await listBucket(io, folder, '/'))
    .map((o) => o.key)
    .filter((k) => RECORD_NAME.test(k.slice(folder.length)))
    .sort()
    .reverse();
  const out: StoredRecord[] = new Array(keys.length);
  await runPool(keys.map((key, i) => ({ key, i })), 8, async ({ key, i }) => {
    const id = RECORD_NAME.exec(key.slice(folder.length))![1]!;
    try {
      out[i] = { key, id, record: parseRecord(key, await getText(io, key)) };
    } catch (err) {
      if (err instanceof EdgelockError && err.code === 'DEPLOY_RECORD_INVALID') out[i] = { key, id, problem: err.message };
      else throw err;
    }
  });
  return out;
}

/** Every record of the prefix, newest first; one that cannot be trusted is listed with its problem. */
export async function readHistory(io: S3Io, prefix: string): Promise<DeployHistoryEntry[]> {
  return (await readRecords(io, prefix)).map((r) => ('record' in r ? historyEntry(r.key, r.record) : { key: r.key, id: r.id, problem: r.problem }));
}

export type HistoryOptions = Pick<DeployOptions, 'config' | 'env' | 'endpoint' | 'roleArn' | 'credentials' | 'clients'>;

/** Lists an environment's deploys (the library's `edgelock deploys`). */
export async function listDeploys(options: HistoryOptions): Promise<{ readonly environment: string; readonly bucket: string; readonly prefix: string; readonly deploys: readonly DeployHistoryEntry[] }> {
  const { env } = resolveDeployOptions({ ...options, dir: '.' }, {});
  const clients = await connectEnvironment(options, env, options.config, 'deploys');
  const prefix = options.config.deploy.prefix;
  const io: S3Io = { s3: clients.s3, bucket: env.bucket, attempts: options.config.deploy.maxAttempts };
  return { environment: env.name, bucket: env.bucket, prefix, deploys: await readHistory(io, prefix) };
}

export function formatHistory(h: Awaited<ReturnType<typeof listDeploys>>): string {
  if (h.deploys.length === 0) return `no deploy records for ${h.environment} in s3://${h.bucket}/${recordFolder(h.prefix)} (edgelock writes one with each deploy that changes the bucket)\n`;
  const lines = [`deploys of ${h.environment} (s3://${h.bucket}/${recordFolder(h.prefix)}), newest first:`];
  for (const d of h.deploys) {
    if (d.problem) lines.push(`  ${d.id}  not trusted: ${d.problem}`);
    else lines.push(`  ${d.id}  ${d.time}  ${d.objects} object(s), ${d.bytes} B${d.retained ? `, ${d.retained} retained` : ''}${d.adopted ? ', adopted the bucket' : ''}${d.rollbackOf ? `, rollback to ${d.rollbackOf}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
