/**
 * Athena (Glue) table definitions for the two log formats, with the columns AWS documents:
 * S3 server access logs (space separated, quoted and bracketed fields, 26 fields ending in
 * aclRequired, newer trailing fields accepted) and CloudFront standard logs (tab separated, two
 * header lines).
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

/** CloudFront standard log fields (the `#Fields:` line), in order, as Athena columns. */
export const CLOUDFRONT_LOG_COLUMNS: readonly LogColumn[] = [
  col('date', 'date'), col('time'), col('location'), col('bytes', 'bigint'), col('request_ip'),
  col('method'), col('host'), col('uri'), col('status', 'int'), col('referrer'), col('user_agent'),
  col('query_string'), col('cookie'), col('result_type'), col('request_id'), col('host_header'),
  col('request_protocol'), col('request_bytes', 'bigint'), col('time_taken', 'float'),
  col('xforwarded_for'), col('ssl_protocol'), col('ssl_cipher'), col('response_result_type'),
  col('http_version'), col('fle_status'), col('fle_encrypted_fields', 'int'), col('c_port', 'int'),
  col('time_to_first_byte', 'float'), col('x_edge_detailed_result_type'), col('sc_content_type'),
  col('sc_content_len', 'bigint'), col('sc_range_start', 'bigint'), col('sc_range_end', 'bigint'),
];

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
