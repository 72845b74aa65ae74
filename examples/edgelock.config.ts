import { defineConfig } from 'edgelock';

/**
 * The example config: a tools (CI/CD) account and two environments in their own accounts.
 * `npm start` builds it and serves examples/site behind the local edge.
 * Demo credentials: user "demo", password "edgelock-demo".
 */
export default defineConfig({
  project: 'acme-web',
  tools: { accountId: '111111111111', region: 'us-east-1', repository: 'acme/web', branch: 'main' },
  environments: {
    // Basic credentials travel only over TLS 1.2+: an auth environment needs its own domain and a
    // us-east-1 ACM certificate (the default *.cloudfront.net one allows TLS 1.0). Both are
    // placeholders (example.com, an example ARN): put yours in before `cdktf deploy`.
    dev: {
      accountId: '222222222222',
      region: 'eu-west-1',
      auth: true,
      domain: 'dev.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-4000-8000-000000000000',
    },
    prod: { accountId: '333333333333', region: 'eu-west-1', auth: false, domain: 'www.example.com', certificateArn: 'arn:aws:acm:us-east-1:333333333333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' },
  },
  auth: {
    realm: 'Acme preview',
    users: './users.htpasswd',
    bypass: ['/health', '/.well-known/*'],
  },
  stacks: {
    // A missing page is S3's 403 (no s3:ListBucket) or a 404: both show the site's own page.
    errorPages: [
      { code: 403, page: '/404.html', status: 404, ttlSeconds: 60 },
      { code: 404, page: '/404.html', status: 404, ttlSeconds: 60 },
    ],
  },
});
