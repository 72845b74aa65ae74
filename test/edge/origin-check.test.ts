import { checkOrigin } from '../../src/edge/origin-request/origin-check';
import type { EdgeOriginConfig } from '../../src/edge/config';

const oac: EdgeOriginConfig = {
  bucket: 'acme-site',
  region: 'eu-west-1',
  domains: ['acme-site.s3.eu-west-1.amazonaws.com', 'acme-site.s3.amazonaws.com'],
  access: 'oac',
  prettyUrls: false,
  allowCookies: false,
  allowedMethods: ['GET', 'HEAD'],
  maxUriLength: 1024,
};
const oai: EdgeOriginConfig = { ...oac, access: 'oai' };
/** deploy.prefix "site/": the distribution's origin path is "/site". */
const underSite: EdgeOriginConfig = { ...oac, path: '/site' };
const withPath = (path: string, authMethod = 'none') => ({ s3: { domainName: 'acme-site.s3.amazonaws.com', authMethod, path, customHeaders: {} } });

const s3 = (domainName: unknown, authMethod: unknown = 'none') => ({ s3: { domainName, authMethod, path: '', customHeaders: {} } });
const custom = (domainName?: string) => ({ custom: { ...(domainName === undefined ? {} : { domainName }), port: 443, protocol: 'https', path: '', customHeaders: {} } });

describe('checkOrigin', () => {
  it.each<[string, unknown, EdgeOriginConfig]>([
    ['the regional REST endpoint with OAC', s3('acme-site.s3.eu-west-1.amazonaws.com'), oac],
    ['the global REST endpoint with OAC', s3('acme-site.s3.amazonaws.com'), oac],
    ['the REST endpoint in upper case (DNS names ignore case)', s3('ACME-SITE.S3.EU-WEST-1.AMAZONAWS.COM'), oac],
    ['the REST endpoint with OAI', s3('acme-site.s3.amazonaws.com', 'origin-access-identity'), oai],
    ['the origin path deploy.prefix gives', withPath('/site'), underSite],
    ['an empty origin path where the root is served, and the config says so', withPath(''), { ...oac, path: '' }],
  ])('accepts %s', (_name, origin, expected) => {
    expect(checkOrigin(origin as never, expected)).toBeUndefined();
  });

  it.each<[string, unknown, EdgeOriginConfig, string, object]>([
    ['no origin', undefined, oac, 'no-origin', { kind: 'none' }],
    ['an empty origin', {}, oac, 'custom-origin', { kind: 'custom' }],
    ['a custom origin', custom('example.org'), oac, 'custom-origin', { kind: 'custom', domainName: 'example.org' }],
    ['a custom origin without a domain', custom(), oac, 'custom-origin', { kind: 'custom' }],
    ['the website endpoint as a custom origin (dot form)', custom('acme-site.s3-website.eu-west-1.amazonaws.com'), oac, 'website-endpoint', { kind: 'custom' }],
    ['the website endpoint as a custom origin (dash form)', custom('acme-site.s3-website-us-east-1.amazonaws.com'), oac, 'website-endpoint', { kind: 'custom' }],
    ['both s3 and custom', { ...s3('acme-site.s3.amazonaws.com'), ...custom('acme-site.s3.amazonaws.com') }, oac, 'custom-origin', { kind: 'custom' }],
    ['the website endpoint as an S3 origin', s3('acme-site.s3-website.eu-west-1.amazonaws.com'), oac, 'website-endpoint', { kind: 's3' }],
    ['the website endpoint in upper case', s3('ACME-SITE.S3-WEBSITE.EU-WEST-1.AMAZONAWS.COM'), oac, 'website-endpoint', { kind: 's3' }],
    ['another bucket', s3('other.s3.eu-west-1.amazonaws.com'), oac, 'unexpected-domain', { kind: 's3', domainName: 'other.s3.eu-west-1.amazonaws.com' }],
    ['a lookalike suffix', s3('acme-site.s3.amazonaws.com.evil.example'), oac, 'unexpected-domain', { kind: 's3' }],
    ['a lookalike prefix', s3('evil-acme-site.s3.amazonaws.com'), oac, 'unexpected-domain', { kind: 's3' }],
    ['a trailing dot', s3('acme-site.s3.amazonaws.com.'), oac, 'unexpected-domain', { kind: 's3' }],
    ['a missing domain name', s3(undefined), oac, 'unexpected-domain', { kind: 's3' }],
    ['a non-string domain name', s3(['acme-site.s3.amazonaws.com']), oac, 'unexpected-domain', { kind: 's3' }],
    ['OAI where OAC is expected', s3('acme-site.s3.amazonaws.com', 'origin-access-identity'), oac, 'wrong-auth-method', { kind: 's3', authMethod: 'origin-access-identity' }],
    ['authMethod none where OAI is expected', s3('acme-site.s3.amazonaws.com', 'none'), oai, 'wrong-auth-method', { kind: 's3', authMethod: 'none' }],
    ['no authMethod where OAC is expected', { s3: { domainName: 'acme-site.s3.amazonaws.com', path: '', customHeaders: {} } }, oac, 'wrong-auth-method', { kind: 's3' }],
    ['an upper-case authMethod', s3('acme-site.s3.amazonaws.com', 'NONE'), oac, 'wrong-auth-method', { kind: 's3', authMethod: 'NONE' }],
    ['an origin path', { s3: { domainName: 'acme-site.s3.amazonaws.com', authMethod: 'none', path: '/v1', customHeaders: {} } }, oac, 'origin-path', { kind: 's3', path: '/v1' }],
    ['an origin path of "/"', { s3: { domainName: 'acme-site.s3.amazonaws.com', authMethod: 'origin-access-identity', path: '/', customHeaders: {} } }, oai, 'origin-path', { kind: 's3', path: '/' }],
    ['no origin path where deploy.prefix wants one (the whole bucket would be served)', withPath(''), underSite, 'origin-path', { kind: 's3', path: '' }],
    ['no path field at all where deploy.prefix wants one', { s3: { domainName: 'acme-site.s3.amazonaws.com', authMethod: 'none', customHeaders: {} } }, underSite, 'origin-path', { kind: 's3', path: '' }],
    ['another prefix', withPath('/uploads'), underSite, 'origin-path', { kind: 's3', path: '/uploads' }],
    ['a deeper path under the prefix', withPath('/site/private'), underSite, 'origin-path', { kind: 's3', path: '/site/private' }],
    ['the prefix with a trailing slash', withPath('/site/'), underSite, 'origin-path', { kind: 's3', path: '/site/' }],
    ['the prefix in another case (S3 keys are case-sensitive)', withPath('/SITE'), underSite, 'origin-path', { kind: 's3', path: '/SITE' }],
  ])('refuses %s', (_name, origin, expected, reason, got) => {
    const problem = checkOrigin(origin as never, expected);
    expect(problem).toMatchObject({ reason, got });
    expect(problem!.message.length).toBeGreaterThan(10);
  });

  it('says which endpoint to use instead of a website endpoint, and what the auth method must be', () => {
    expect(checkOrigin(custom('acme-site.s3-website.eu-west-1.amazonaws.com') as never, oac)!.message).toContain('acme-site.s3.eu-west-1.amazonaws.com');
    expect(checkOrigin(s3('acme-site.s3.amazonaws.com', 'none') as never, oai)!.message).toBe('the origin\'s authMethod is "none" but originAccess "oai" needs "origin-access-identity"');
    expect(checkOrigin(custom() as never, oac)!.message).toBe('the origin is a custom origin (undefined), not the bucket acme-site');
    expect(checkOrigin({ s3: { domainName: 'acme-site.s3.amazonaws.com', authMethod: 'none', path: '/v1', customHeaders: {} } } as never, oac)!.message).toBe(
      'the origin has the origin path "/v1", but edgelock serves the bucket\'s root (deploy.prefix is ""): remove the origin path from the distribution, or set deploy.prefix and rebuild',
    );
    expect(checkOrigin(withPath('') as never, underSite)!.message).toBe(
      'the origin path is "", but deploy.prefix serves "/site": set the distribution\'s origin path to "/site" (the stacks do), or change deploy.prefix and rebuild',
    );
  });
});
