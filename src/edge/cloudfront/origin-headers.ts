/**
 * Origin response headers: the ones a viewer needs (passed by origin-response) and the ones S3 is
 * known to send that a viewer must not see. Shared by the config schema (its documented
 * defaults) and the origin-response handler.
 */

/**
 * What origin-response passes from the origin: what a viewer (or a cache between it and
 * CloudFront) needs to read the body, cache it and resume it. Everything else the origin sends,
 * every x-amz-* header and `server` included, is dropped; `keepOriginHeaders` adds names.
 * `date` is the origin's clock for freshness (RFC 9111 §4.2.3); `content-md5` is not listed.
 */
export const DEFAULT_ORIGIN_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-disposition',
  'cache-control',
  'expires',
  'etag',
  'last-modified',
  'accept-ranges',
  'content-range',
  'vary',
  'date',
] as const;

/**
 * Origin headers S3 is known to send that a viewer must not see, by exact name: what a CloudFront
 * response headers policy (which cannot allow-list) removes. The function drops them and anything
 * else not allow-listed.
 */
export const KNOWN_S3_RESPONSE_HEADERS = [
  'server',
  'x-amz-id-2',
  'x-amz-request-id',
  'x-amz-version-id',
  'x-amz-delete-marker',
  'x-amz-missing-meta',
  'x-amz-request-charged',
  'x-amz-archive-status',
  'x-amz-bucket-region',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-bucket-key-enabled',
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-server-side-encryption-customer-key-md5',
  'x-amz-replication-status',
  'x-amz-storage-class',
  'x-amz-tagging-count',
  'x-amz-expiration',
  'x-amz-restore',
  'x-amz-website-redirect-location',
  'x-amz-object-lock-mode',
  'x-amz-object-lock-retain-until-date',
  'x-amz-object-lock-legal-hold',
  'x-amz-mp-parts-count',
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1',
  'x-amz-checksum-sha256',
  'x-amz-checksum-type',
] as const;
