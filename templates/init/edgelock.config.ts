import { defineConfig } from 'edgelock';

/**
 * {{project}}: the site in ./site behind CloudFront, with Basic auth on the `dev` environment.
 *
 * The account IDs below (111111111111, 222222222222), the repository, the domain and the
 * certificate are placeholders: replace them with your own AWS accounts, Git repository, domain and
 * ACM certificate (in us-east-1) before `cdktf deploy`. The tools account runs the pipeline; each
 * environment lives in its own account. An environment with auth needs its own domain and
 * certificate: the default *.cloudfront.net certificate would let Basic credentials cross TLS 1.0.
 *
 * Users: ./users.htpasswd holds bcrypt hashes only. Add one with `npx edgelock hash <user> >> users.htpasswd`.
 * After any change here, run `npm run build` (synth and `edgelock dev --no-build` refuse a stale build).
 */
export default defineConfig({
  project: '{{project}}',
  tools: { accountId: '111111111111', region: 'us-east-1', repository: 'your-org/{{project}}', branch: 'main' },
  environments: {
    dev: {
      accountId: '222222222222',
      region: 'eu-west-1',
      auth: true,
      domain: 'preview.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-4000-8000-000000000000',
    },
  },
  auth: {
    realm: '{{project}} preview',
    users: './users.htpasswd',
  },
});
