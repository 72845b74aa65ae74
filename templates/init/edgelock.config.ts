import { defineConfig } from 'edgelock';

/**
 * {{project}}: the site in ./site behind CloudFront, with Basic auth on the `dev` environment.
 *
 * The account IDs below (111111111111, 222222222222) and the repository are placeholders: replace
 * them with your own AWS accounts and Git repository before `cdktf deploy`. The tools account runs
 * the pipeline; each environment lives in its own account.
 *
 * Users: ./users.htpasswd holds bcrypt hashes only. Add one with `npx edgelock hash <user> >> users.htpasswd`.
 * After any change here, run `npm run build` (synth and `edgelock dev --no-build` refuse a stale build).
 */
export default defineConfig({
  project: '{{project}}',
  tools: { accountId: '111111111111', region: 'us-east-1', repository: 'your-org/{{project}}', branch: 'main' },
  environments: {
    dev: { accountId: '222222222222', region: 'eu-west-1', auth: true },
  },
  auth: {
    realm: '{{project}} preview',
    users: './users.htpasswd',
  },
});
