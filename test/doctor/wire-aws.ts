/**
 * A loopback HTTP server answering the doctor's calls in AWS's own wire formats (STS query XML,
 * CloudFront and S3 REST XML, S3 Control REST XML, Organizations JSON 1.1), for a healthy OAC
 * setup. Real SDK clients talk to it over real HTTP, so what they parse is what AWS sends. It
 * records every request (method, host, path, headers) and can answer chosen calls with an error
 * exactly as AWS writes it (an XML body, or none for HEAD).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, BUCKET, DIST, DIST_ARN, OAC_ID, OWNER_ID } from './world';

export interface SeenRequest {
  readonly method: string;
  readonly host: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** An error answer: status, and the code and message of its XML body (none for HEAD). */
export interface WireError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** The body as the service writes it, when it is not S3's <Error> document. */
  readonly body?: string;
}

export interface WireAws {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Answers requests whose `METHOD path?query` matches with this error. */
  fail(match: RegExp, error: WireError): void;
  close(): Promise<void>;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function s3ErrorBody(e: WireError): string {
  return xml(`<Error><Code>${e.code}</Code><Message>${e.message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</Message><RequestId>WIREREQ1</RequestId><HostId>WIREHOST1</HostId></Error>`);
}

const DISTRIBUTION_CONFIG = xml(`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
<CallerReference>edgelock-prod</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject>index.html</DefaultRootObject>
<Origins><Quantity>1</Quantity><Items><Origin><Id>site</Id><DomainName>${BUCKET}.s3.eu-west-1.amazonaws.com</DomainName><OriginPath></OriginPath>
<CustomHeaders><Quantity>0</Quantity></CustomHeaders><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>
<ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout><OriginShield><Enabled>false</Enabled></OriginShield><OriginAccessControlId>${OAC_ID}</OriginAccessControlId></Origin></Items></Origins>
<DefaultCacheBehavior><TargetOriginId>site</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
<LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations><FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
<CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId></DefaultCacheBehavior>
<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><Comment>acme-web prod</Comment><PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>
</DistributionConfig>`);

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowCloudFront', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { 'AWS:SourceArn': DIST_ARN } } }],
});
const ACL = xml(`<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>${OWNER_ID}</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${OWNER_ID}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`);
const PAB = xml(`<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`);

/** The answer to one request: status, headers, body. */
function answer(req: SeenRequest): [number, Record<string, string>, string] {
  const XML = { 'content-type': 'application/xml' };
  const u = new URL(req.url, 'http://x');
  const q = u.searchParams;
  const p = u.pathname;
  if (req.method === 'POST' && p === '/' && /Action=GetCallerIdentity/.test(req.body)) {
    return [200, { 'content-type': 'text/xml' }, xml(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/Admin/doctor</Arn><UserId>AROAEXAMPLE:doctor</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>WIREREQ1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)];
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith('AWSOrganizationsV20161128.')) {
    return [400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'WIREREQ1' }, JSON.stringify({ __type: 'AWSOrganizationsNotInUseException', Message: 'Your account is not a member of an organization.' })];
  }
  if (p === `/2020-05-31/distribution/${DIST}/config`) return [200, { ...XML, etag: 'E2QWRUHEXAMPLE' }, DISTRIBUTION_CONFIG];
  if (p === `/2020-05-31/origin-access-control/${OAC_ID}`) {
    return [200, { ...XML, etag: 'ETAGOAC' }, xml(`<OriginAccessControl xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${OAC_ID}</Id><OriginAccessControlConfig><Name>acme-web-prod</Name><Description></Description><SigningProtocol>sigv4</SigningProtocol><SigningBehavior>always</SigningBehavior><OriginAccessControlOriginType>s3</OriginAccessControlOriginType></OriginAccessControlConfig></OriginAccessControl>`)];
  }
  if (p === '/v20180820/configuration/publicAccessBlock') return [200, XML, PAB];
  // S3, path-style.
  if (p === `/${BUCKET}` || p === `/${BUCKET}/`) {
    if (q.has('policy')) return [200, { 'content-type': 'application/json' }, POLICY];
    if (q.has('acl')) return [200, XML, ACL];
    if (q.has('publicAccessBlock')) return [200, XML, PAB];
    if (q.has('ownershipControls')) return [200, XML, xml(`<OwnershipControls xmlns="${S3_NS}"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`)];
    if (q.has('encryption')) return [200, XML, xml(`<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`)];
    if (q.has('requestPayment')) return [200, XML, xml(`<RequestPaymentConfiguration xmlns="${S3_NS}"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`)];
    if (q.has('object-lock')) return [404, XML, s3ErrorBody({ status: 404, code: 'ObjectLockConfigurationNotFoundError', message: 'Object Lock configuration does not exist for this bucket' })];
    if (q.get('list-type') === '2') {
      const prefix = q.get('prefix') ?? '';
      const found = 'index.html'.startsWith(prefix);
      return [200, XML, xml(`<ListBucketResult xmlns="${S3_NS}"><Name>${BUCKET}</Name><Prefix>${prefix}</Prefix><KeyCount>${found ? 1 : 0}</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated>${found ? `<Contents><Key>index.html</Key><LastModified>2019-06-30T16:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>5120</Size><Owner><ID>${OWNER_ID}</ID></Owner><StorageClass>STANDARD</StorageClass></Contents>` : ''}</ListBucketResult>`)];
    }
  }
  if (p === `/${BUCKET}/index.html`) {
    if (q.has('acl')) return [200, XML, ACL];
    if (req.method === 'HEAD') return [200, { 'content-type': 'text/html', 'content-length': '5120', etag: '"d41d8cd98f00b204e9800998ecf8427e"', 'x-amz-server-side-encryption': 'AES256' }, ''];
  }
  return [400, XML, s3ErrorBody({ status: 400, code: 'NotImplemented', message: `the test server does not answer ${req.method} ${req.url}` })];
}

export async function startWireAws(): Promise<WireAws> {
  const requests: SeenRequest[] = [];
  const failures: [RegExp, WireError][] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? 'GET', host: req.headers.host ?? '', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const failure = failures.find(([m]) => m.test(`${seen.method} ${seen.url}`))?.[1];
      if (failure) {
        // A HEAD answer has no body, whatever the error.
        const body = seen.method === 'HEAD' ? '' : failure.body ?? s3ErrorBody(failure);
        res.writeHead(failure.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'WIREREQ1', 'x-amz-id-2': 'WIREHOST1' });
        res.end(body);
        return;
      }
      const [status, headers, body] = answer(seen);
      res.writeHead(status, { 'x-amz-request-id': 'WIREREQ1', 'x-amz-id-2': 'WIREHOST1', ...headers });
      res.end(seen.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (match, error) => void failures.unshift([match, error]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
