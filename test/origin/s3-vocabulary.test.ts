import { S3ServiceException } from '@aws-sdk/client-s3';
import {
  ALL_USERS,
  AUTHENTICATED_USERS,
  LOG_DELIVERY,
  MODE_WITHOUT_CONTROLS,
  NOT_FOUND,
  ORIGIN_OAI_PATH_PREFIX,
  errorName,
  grantsRead,
  grantsWrite,
  httpStatus,
  isNotFound,
  isPublicGroup,
  isServiceError,
  oaiIdOf,
  oaiIdOfOriginPath,
  oaiPrincipalArn,
  orNull,
  ownershipModeOf,
} from '../../src/origin/s3';

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

describe('ACL vocabulary', () => {
  test('only AllUsers and AuthenticatedUsers are public groups', () => {
    expect(isPublicGroup(ALL_USERS)).toBe(true);
    expect(isPublicGroup(AUTHENTICATED_USERS)).toBe(true);
    expect(isPublicGroup(LOG_DELIVERY)).toBe(false);
    expect(isPublicGroup(undefined)).toBe(false);
  });

  test.each([
    ['READ', true, false],
    ['WRITE', false, true],
    ['FULL_CONTROL', true, true],
    ['READ_ACP', false, false],
    ['WRITE_ACP', false, false],
    [undefined, false, false],
  ])('%s: reads %s, writes %s', (permission, reads, writes) => {
    expect(grantsRead(permission)).toBe(reads);
    expect(grantsWrite(permission)).toBe(writes);
  });
});

describe('reading SDK errors', () => {
  test('an AWS answer carries its name and status; anything else is not a service error', () => {
    const err = serviceError('AccessDenied', 403);
    expect(isServiceError(err)).toBe(true);
    expect(errorName(err)).toBe('AccessDenied');
    expect(httpStatus(err)).toBe(403);
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(isServiceError(network)).toBe(false);
    expect(httpStatus(network)).toBeUndefined();
    // The SDK's retry step puts $metadata on every error, a refused connection included.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: { attempts: 1, totalRetryDelay: 0 } });
    expect(isServiceError(refused)).toBe(false);
    expect(isServiceError(undefined)).toBe(false);
    expect(errorName({ Code: 'NoSuchKey' })).toBe('NoSuchKey');
  });

  test('orNull answers null only for the named not-found', async () => {
    const missing = serviceError(NOT_FOUND.bucketPolicy, 404);
    expect(isNotFound(missing, NOT_FOUND.bucketPolicy)).toBe(true);
    await expect(orNull(Promise.reject(missing), NOT_FOUND.bucketPolicy)).resolves.toBeNull();
    await expect(orNull(Promise.reject(missing), NOT_FOUND.encryption)).rejects.toBe(missing);
    await expect(orNull(Promise.resolve(1), NOT_FOUND.encryption)).resolves.toBe(1);
  });
});

describe('Object Ownership', () => {
  test('no ownership controls is ObjectWriter; an answer without a rule names no mode', () => {
    expect(MODE_WITHOUT_CONTROLS).toBe('ObjectWriter');
    expect(ownershipModeOf(null)).toBe('ObjectWriter');
    expect(ownershipModeOf({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })).toBe('BucketOwnerEnforced');
    expect(ownershipModeOf({})).toBeUndefined();
  });
});

describe('Origin Access Identity names', () => {
  test('the bucket-policy principal and the origin path both give back the ID', () => {
    const arn = oaiPrincipalArn('E2QWRUHAPOMQZL');
    expect(arn).toBe('arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL');
    expect(oaiIdOf(arn)).toBe('E2QWRUHAPOMQZL');
    expect(oaiIdOfOriginPath(`${ORIGIN_OAI_PATH_PREFIX}E2QWRUHAPOMQZL`)).toBe('E2QWRUHAPOMQZL');
    expect(ORIGIN_OAI_PATH_PREFIX).toBe('origin-access-identity/cloudfront/');
  });
});
