/**
 * Checks of construct props, reported all at once: a construct collects every bad prop and
 * throws one PropsError listing them (like ConfigError does for the config file). Values that are
 * Terraform tokens (known only at apply time) are not checked.
 */
import { Token } from 'cdktf';
import { EdgelockError, ERROR_CODES, type ConfigIssue } from '../src/errors';

/** Bad props of a construct. Code STACKS_INVALID; `issues` holds one entry per bad prop. */
export class PropsError extends EdgelockError {
  override name = 'PropsError';
  readonly issues: readonly ConfigIssue[];
  /** "<Construct> <path>", e.g. "LockedBucket acme-web-dev/site". */
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(`invalid props for ${source}\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`, { code: ERROR_CODES.STACKS_INVALID, exitCode: 2 });
    this.source = source;
    this.issues = issues;
  }
}

const literal = (v: unknown): v is string => typeof v === 'string' && !Token.isUnresolved(v);

const S3_BUCKET = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*\.\.)(?!.*(-s3alias|--ol-s3|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** Collects the issues of one construct's props. */
export class PropsCheck {
  private readonly issues: ConfigIssue[] = [];

  constructor(private readonly source: string) {}

  /** Records `message` for `path` unless `ok`. */
  that(ok: boolean, path: string, message: string): this {
    if (!ok) this.issues.push({ path, message });
    return this;
  }

  /** A required, non-empty string (tokens pass). */
  text(value: unknown, path: string): this {
    if (typeof value === 'string' && Token.isUnresolved(value)) return this;
    return this.that(typeof value === 'string' && value.trim() !== '', path, `expected a non-empty string, got ${show(value)}`);
  }

  /** A name that goes into AWS resource names: letters, digits and hyphens. */
  name(value: unknown, path: string): this {
    if (!literal(value)) return this.text(value, path);
    return this.that(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/.test(value), path, `expected letters, digits and hyphens (it names AWS resources), got ${show(value)}`);
  }

  accountId(value: unknown, path: string): this {
    if (!literal(value)) return this.text(value, path);
    return this.that(/^\d{12}$/.test(value), path, `expected a 12-digit AWS account ID, got ${show(value)}`);
  }

  region(value: unknown, path: string): this {
    if (!literal(value)) return this.text(value, path);
    return this.that(/^[a-z]{2}(-[a-z]+)+-\d$/.test(value), path, `expected an AWS region such as "eu-west-1", got ${show(value)}`);
  }

  bucketName(value: unknown, path: string): this {
    if (!literal(value)) return this.text(value, path);
    return this.that(S3_BUCKET.test(value) && !IPV4.test(value), path,
      `expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit), got ${show(value)}`);
  }

  arn(value: unknown, path: string, service: string, resource?: RegExp): this {
    if (!literal(value)) return this.text(value, path);
    const m = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(value);
    return this.that(m !== null && m[1] === service && (!resource || resource.test(m[4]!)), path, `expected an ${service} ARN${resource ? ` (${resource.source})` : ''}, got ${show(value)}`);
  }

  positiveInteger(value: unknown, path: string, max = Number.MAX_SAFE_INTEGER): this {
    if (value === undefined) return this;
    return this.that(Number.isInteger(value) && (value as number) > 0 && (value as number) <= max, path, `expected a whole number from 1 to ${max}, got ${show(value)}`);
  }

  oneOf(value: unknown, path: string, allowed: readonly string[]): this {
    if (value === undefined) return this;
    return this.that(allowed.includes(value as string), path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
  }

  /** Throws a PropsError listing every issue found. */
  done(): void {
    if (this.issues.length) throw new PropsError(this.source, this.issues);
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
