/** The Glue table definitions match the log formats AWS documents. */
import { CLOUDFRONT_LOG_COLUMNS, CLOUDFRONT_V2_RECORD_FIELDS, S3_ACCESS_LOG_COLUMNS, S3_ACCESS_LOG_REGEX } from '../../cdktf/log-tables';
import { CLOUDFRONT_DEFAULT_FIELDS, cloudFrontLayout, parseFieldsLine } from '../../src/origin/logs/cloudfront';

// Written in the documented field order: owner, bucket, [time], ip, requester, request id, operation,
// key, "request-uri", status, error code, bytes sent, object size, total time, turn-around,
// "referer", "user-agent", version id, host id, sigv, cipher, auth type, host header, tls,
// access point arn, aclRequired.
const FIELDS_24 = [
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', 'acme-web-dev-site-222222222222',
  '[06/Feb/2019:00:00:38 +0000]', '192.0.2.3', 'svc:cloudfront.amazonaws.com', '3E57427F3EXAMPLE', 'REST.GET.OBJECT',
  'index.html', '"GET /index.html HTTP/1.1"', '403', 'AccessDenied', '243', '-', '42', '-',
  '"-"', '"Amazon CloudFront"', '-', 's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=',
  'SigV4', 'ECDHE-RSA-AES128-GCM-SHA256', 'AuthHeader', 'acme-web-dev-site-222222222222.s3.eu-west-1.amazonaws.com', 'TLSv1.2',
];

const regex = new RegExp(S3_ACCESS_LOG_REGEX);

describe('S3 server access logs', () => {
  it('has one capture group per column (RegexSerDe needs them equal)', () => {
    expect(new RegExp(`${S3_ACCESS_LOG_REGEX}|`).exec('')!.length - 1).toBe(S3_ACCESS_LOG_COLUMNS.length);
    expect(S3_ACCESS_LOG_COLUMNS).toHaveLength(26);
    expect(S3_ACCESS_LOG_COLUMNS.at(-1)!.name).toBe('aclrequired');
  });

  it('parses a current line into the named columns', () => {
    const m = regex.exec([...FIELDS_24, '-', 'Yes'].join(' '))!;
    const row = Object.fromEntries(S3_ACCESS_LOG_COLUMNS.map((c, i) => [c.name, m[i + 1]]));
    expect(row).toMatchObject({
      requestdatetime: '06/Feb/2019:00:00:38 +0000', requester: 'svc:cloudfront.amazonaws.com', key: 'index.html', httpstatus: '403',
      errorcode: 'AccessDenied', useragent: '"Amazon CloudFront"', tlsversion: 'TLSv1.2', accesspointarn: '-', aclrequired: 'Yes',
    });
  });

  it('accepts older lines without the last fields, and newer lines with extra trailing fields', () => {
    expect(regex.exec(FIELDS_24.join(' '))![26]).toBeUndefined();
    expect(regex.exec([...FIELDS_24, '-', '-', 'extra1', 'extra2'].join(' '))![26]).toBe('-');
  });

  it('rejects a line that is not an access log', () => {
    expect(regex.test('not a log line')).toBe(false);
  });
});

describe('CloudFront standard logging v2', () => {
  it('asks for the legacy fields in the legacy order, without cookies, one column each', () => {
    const legacyWithoutCookie = CLOUDFRONT_DEFAULT_FIELDS.filter((f) => f !== 'cs(Cookie)');
    expect(CLOUDFRONT_V2_RECORD_FIELDS).toEqual(legacyWithoutCookie);
    expect(CLOUDFRONT_LOG_COLUMNS).toHaveLength(CLOUDFRONT_V2_RECORD_FIELDS.length);
    expect(CLOUDFRONT_LOG_COLUMNS.map((c) => c.name).slice(0, 9)).toEqual(['date', 'time', 'location', 'bytes', 'request_ip', 'method', 'host', 'uri', 'status']);
    expect(CLOUDFRONT_LOG_COLUMNS.map((c) => c.name)).not.toContain('cookie');
    expect(CLOUDFRONT_LOG_COLUMNS.at(-1)!.name).toBe('sc_range_end');
  });

  it('reads a delivered file the way `edgelock logs` does: positions from the #Fields line', () => {
    const values = CLOUDFRONT_V2_RECORD_FIELDS.map((f) => (f === 'sc-status' ? '403' : f === 'cs-uri-stem' ? '/secret.html' : '-'));
    const file = ['#Version: 1.0', `#Fields: ${CLOUDFRONT_V2_RECORD_FIELDS.join(' ')}`, values.join('\t')].join('\n');
    const layout = cloudFrontLayout(parseFieldsLine(file.split('\n')[1]!));
    const row = file.split('\n')[2]!.split('\t');
    expect(row[layout.status]).toBe('403');
    expect(CLOUDFRONT_LOG_COLUMNS[layout.status]!.name).toBe('status');
  });
});
