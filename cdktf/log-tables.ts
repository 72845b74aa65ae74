/**
 * Athena (Glue) table definitions for the two log formats, with the columns AWS documents:
 * S3 server access logs (space separated, quoted and bracketed fields, 26 fields ending in
 * aclRequired, newer trailing fields accepted) and CloudFront standard logging v2 (W3C, tab
 * separated, the `#Version` and `#Fields` header lines, the fields this module asks for).
 */

export interface LogColumn {
  readonly name: string;
  readonly type: 'string' | 'bigint' | 'int' | 'float' | 'date';
}

const col = (name: string, type: LogColumn['type'] = 'string'): LogColumn => ({ name, type });

/** S3 server access log fields, in log order. */
export const S3_ACCESS_LOG_COLUMNS: readonly LogColumn[] = [
  col('bucketowner'), col('bucket_name'), col('requestdatetime'), col('remoteip'), col('requester'),
  col('requestid'), col('operation'), col('key'), col('request_uri'), col('httpstatus'),
  col('errorcode'), col('bytessent', 'bigint'), col('objectsize', 'bigint'), col('totaltime'),
  col('turnaroundtime'), col('referrer'), col('useragent'), col('versionid'), col('hostid'),
  col('sigv'), col('ciphersuite'), col('authtype'), col('endpoint'), col('tlsversion'),
  col('accesspointarn'), col('aclrequired'),
];

const FIELD = '([^ ]*)';
const QUOTED = '("[^"]*"|-)';
/**
 * One capture group per column. The time is bracketed; request URI, referrer and user agent are
 * quoted; the last two fields are optional (older lines) and anything after them is ignored.
 */
export const S3_ACCESS_LOG_REGEX = [
  `^${FIELD} ${FIELD} \\[(.*?)\\] ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${QUOTED} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD}`,
  ` ${QUOTED} ${QUOTED} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD} ${FIELD}(?: ${FIELD})?(?: ${FIELD})?(?: .*)?$`,
].join('');

/**
 * CloudFront standard logging v2 (W3C, tab-separated): the record fields the delivery asks for,
 * in order, and the Athena column each becomes. The order is the legacy log's, so queries read the
 * same; `cs(Cookie)` is left out (cookies may carry session secrets).
 */
const CLOUDFRONT_FIELDS: readonly (readonly [field: string, column: LogColumn])[] = [
  ['date', col('date', 'date')], ['time', col('time')], ['x-edge-location', col('location')], ['sc-bytes', col('bytes', 'bigint')],
  ['c-ip', col('request_ip')], ['cs-method', col('method')], ['cs(Host)', col('host')], ['cs-uri-stem', col('uri')],
  ['sc-status', col('status', 'int')], ['cs(Referer)', col('referrer')], ['cs(User-Agent)', col('user_agent')],
  ['cs-uri-query', col('query_string')], ['x-edge-result-type', col('result_type')], ['x-edge-request-id', col('request_id')],
  ['x-host-header', col('host_header')], ['cs-protocol', col('request_protocol')], ['cs-bytes', col('request_bytes', 'bigint')],
  ['time-taken', col('time_taken', 'float')], ['x-forwarded-for', col('xforwarded_for')], ['ssl-protocol', col('ssl_protocol')],
  ['ssl-cipher', col('ssl_cipher')], ['x-edge-response-result-type', col('response_result_type')], ['cs-protocol-version', col('http_version')],
  ['fle-status', col('fle_status')], ['fle-encrypted-fields', col('fle_encrypted_fields', 'int')], ['c-port', col('c_port', 'int')],
  ['time-to-first-byte', col('time_to_first_byte', 'float')], ['x-edge-detailed-result-type', col('x_edge_detailed_result_type')],
  ['sc-content-type', col('sc_content_type')], ['sc-content-len', col('sc_content_len', 'bigint')],
  ['sc-range-start', col('sc_range_start', 'bigint')], ['sc-range-end', col('sc_range_end', 'bigint')],
];

/** The record fields the v2 delivery writes, in order. */
export const CLOUDFRONT_V2_RECORD_FIELDS: readonly string[] = CLOUDFRONT_FIELDS.map(([f]) => f);

/** The Athena columns of the CloudFront table, one per record field, in the same order. */
export const CLOUDFRONT_LOG_COLUMNS: readonly LogColumn[] = CLOUDFRONT_FIELDS.map(([, c]) => c);

/** Saved Athena queries: name → SQL over the two tables. */
export function savedQueries(s3Table: string, cloudfrontTable: string): Record<string, { description: string; sql: string }> {
  return {
    's3-403-by-key-requester-agent': {
      description: 'S3 403s grouped by key, requester and user agent (who was denied what)',
      sql: `SELECT key, requester, useragent, errorcode, count(*) AS denied
FROM ${s3Table}
WHERE httpstatus = '403'
GROUP BY key, requester, useragent, errorcode
ORDER BY denied DESC
LIMIT 100`,
    },
    's3-acl-required': {
      description: "Requests that still depend on an ACL (aclRequired = 'Yes'): fix these before switching to BucketOwnerEnforced",
      sql: `SELECT requestdatetime, operation, key, requester, useragent
FROM ${s3Table}
WHERE aclrequired = 'Yes'
ORDER BY requestdatetime DESC
LIMIT 100`,
    },
    'cloudfront-403-by-uri': {
      description: 'CloudFront 403s by URI and edge result type',
      sql: `SELECT uri, result_type, x_edge_detailed_result_type, count(*) AS denied
FROM ${cloudfrontTable}
WHERE status = 403
GROUP BY uri, result_type, x_edge_detailed_result_type
ORDER BY denied DESC
LIMIT 100`,
    },
  };
}
