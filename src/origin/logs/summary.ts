/**
 * Accumulates a summary of S3 server access log and CloudFront standard log records in constant
 * memory: counts by status; 403s by key, requester, user agent and error code; requests that
 * needed an ACL (`aclRequired = Yes`: they break when ACLs are disabled); CloudFront errors by
 * edge result type.
 */
import { decodeValue, type CloudFrontLayout } from './cloudfront';
import { BoundedCounter } from './counter';
import { parseS3Time, S3_FIELDS as F, S3_MIN_FIELDS, type S3LineTokenizer } from './s3-access';

export interface SummaryOptions {
  /** Only records at or after this time (epoch ms). */
  readonly since?: number;
  readonly maxDistinct?: number;
}

export class LogSummary {
  files = 0;
  bytes = 0;
  lines = 0;
  s3Records = 0;
  cloudFrontRecords = 0;
  /** S3 records that carry the aclRequired field (lines from before 2023 do not). */
  aclFieldRecords = 0;
  /** Lines that were neither a record nor a header. */
  malformed = 0;
  /** Records before --since. */
  skippedBefore = 0;
  first = Infinity;
  last = -Infinity;

  readonly status: BoundedCounter;
  readonly s3Forbidden: { byKey: BoundedCounter; byRequester: BoundedCounter; byUserAgent: BoundedCounter; byErrorCode: BoundedCounter };
  readonly aclRequired: { byKey: BoundedCounter; byRequester: BoundedCounter; byOperation: BoundedCounter };
  readonly cfForbidden: { byUri: BoundedCounter; byClientIp: BoundedCounter; byUserAgent: BoundedCounter; byDetailedResultType: BoundedCounter };
  readonly cfErrors: { byResultType: BoundedCounter; byDetailedResultType: BoundedCounter };
  private readonly since?: number;

  constructor(options: SummaryOptions = {}) {
    const c = () => new BoundedCounter(options.maxDistinct);
    this.status = c();
    this.s3Forbidden = { byKey: c(), byRequester: c(), byUserAgent: c(), byErrorCode: c() };
    this.aclRequired = { byKey: c(), byRequester: c(), byOperation: c() };
    this.cfForbidden = { byUri: c(), byClientIp: c(), byUserAgent: c(), byDetailedResultType: c() };
    this.cfErrors = { byResultType: c(), byDetailedResultType: c() };
    if (options.since !== undefined) this.since = options.since;
  }

  private seen(t: number): boolean {
    if (this.since !== undefined) {
      if (!(t >= this.since)) {
        this.skippedBefore++;
        return false;
      }
    }
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    return true;
  }

  /** Adds one tokenized S3 access log line. Returns false when the line is not a record. */
  addS3(t: S3LineTokenizer): boolean {
    if (t.count < S3_MIN_FIELDS) return false;
    const status = t.int(F.httpStatus);
    if (status < 0) return false;
    // Times are parsed per line only for --since; otherwise the reader notes each file's first and last.
    if (this.since !== undefined && !this.seen(parseS3Time(t.field(F.time)))) return true;
    this.s3Records++;
    this.status.add(statusName(status));
    if (status === 403) {
      this.s3Forbidden.byKey.add(t.field(F.key));
      this.s3Forbidden.byRequester.add(t.field(F.requester));
      this.s3Forbidden.byUserAgent.add(t.field(F.userAgent));
      this.s3Forbidden.byErrorCode.add(t.field(F.errorCode));
    }
    if (t.count > F.aclRequired) this.aclFieldRecords++;
    if (t.is(F.aclRequired, 'Yes')) {
      this.aclRequired.byKey.add(t.field(F.key));
      this.aclRequired.byRequester.add(t.field(F.requester));
      this.aclRequired.byOperation.add(t.field(F.operation));
    }
    return true;
  }

  /** Notes the time of a record (the reader calls it for each file's first and last S3 record). */
  noteS3Time(t: S3LineTokenizer): void {
    const ms = parseS3Time(t.field(F.time));
    if (ms < this.first) this.first = ms;
    if (ms > this.last) this.last = ms;
  }

  /** Adds one CloudFront record (already split on tabs). Returns false when it is not a record. */
  addCloudFront(f: readonly string[], layout: CloudFrontLayout): boolean {
    const rawStatus = layout.status >= 0 ? f[layout.status] : undefined;
    if (rawStatus === undefined || !/^\d{3}$/.test(rawStatus)) return false;
    if (layout.date >= 0 && layout.time >= 0) {
      const t = Date.parse(`${f[layout.date]}T${f[layout.time]}Z`);
      if (!this.seen(t)) return true;
    }
    this.cloudFrontRecords++;
    const status = +rawStatus;
    this.status.add(statusName(status));
    const get = (i: number) => (i >= 0 ? f[i] ?? '-' : '-');
    const detailed = layout.detailedResultType >= 0 ? get(layout.detailedResultType) : get(layout.resultType);
    if (status === 403) {
      this.cfForbidden.byUri.add(get(layout.uri));
      this.cfForbidden.byClientIp.add(get(layout.clientIp));
      this.cfForbidden.byUserAgent.add(decodeValue(get(layout.userAgent)));
      this.cfForbidden.byDetailedResultType.add(detailed);
    }
    if (status >= 400 || get(layout.resultType) === 'Error') {
      this.cfErrors.byResultType.add(get(layout.resultType));
      this.cfErrors.byDetailedResultType.add(detailed);
    }
    return true;
  }

  toJSON(top = 10) {
    const t = (c: BoundedCounter) => c.toJSON(top);
    const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
    return {
      files: this.files,
      bytes: this.bytes,
      lines: this.lines,
      records: { s3: this.s3Records, cloudfront: this.cloudFrontRecords },
      s3RecordsWithAclRequiredField: this.aclFieldRecords,
      malformed: this.malformed,
      skippedBeforeSince: this.skippedBefore,
      ...(this.since !== undefined ? { since: new Date(this.since).toISOString() } : {}),
      firstRecord: iso(this.first),
      lastRecord: iso(this.last),
      status: Object.fromEntries(this.status.top(1000)),
      s3: {
        forbidden: { byKey: t(this.s3Forbidden.byKey), byRequester: t(this.s3Forbidden.byRequester), byUserAgent: t(this.s3Forbidden.byUserAgent), byErrorCode: t(this.s3Forbidden.byErrorCode) },
        aclRequired: { byKey: t(this.aclRequired.byKey), byRequester: t(this.aclRequired.byRequester), byOperation: t(this.aclRequired.byOperation) },
      },
      cloudfront: {
        forbidden: { byUri: t(this.cfForbidden.byUri), byClientIp: t(this.cfForbidden.byClientIp), byUserAgent: t(this.cfForbidden.byUserAgent), byDetailedResultType: t(this.cfForbidden.byDetailedResultType) },
        errors: { byResultType: t(this.cfErrors.byResultType), byDetailedResultType: t(this.cfErrors.byDetailedResultType) },
      },
    };
  }
}

export type LogSummaryJson = ReturnType<LogSummary['toJSON']>;

const STATUS_NAMES: string[] = [];
function statusName(s: number): string {
  return (STATUS_NAMES[s] ??= String(s));
}
