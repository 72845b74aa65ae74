/** What is published from the site folder: dotfiles, patterns, precompressed copies, secrets. */
import { patternMatcher } from '../../src/origin/deploy/patterns';
import { secretReason } from '../../src/origin/deploy/secrets';
import { selectSiteFiles } from '../../src/origin/deploy/site-filter';

describe('gitignore-style patterns', () => {
  test.each<[string[], string, boolean]>([
    [['*.map'], 'assets/app.js.map', true],
    [['*.map'], 'app.js.map', true],
    [['*.map'], 'assets/app.js', false],
    [['drafts'], 'blog/drafts/post.html', true],
    [['drafts/'], 'drafts/post.html', true],
    [['/drafts/'], 'blog/drafts/post.html', false],
    [['docs/internal'], 'docs/internal/a.html', true],
    [['docs/internal'], 'x/docs/internal/a.html', false],
    [['/admin/*.html'], 'admin/index.html', true],
    [['/admin/*.html'], 'admin/sub/index.html', false],
    [['admin/**'], 'admin/sub/index.html', true],
    [['*.map', '!vendor.js.map'], 'vendor.js.map', false],
    [['*.map', '!vendor.js.map'], 'app.js.map', true],
    [['!keep.txt', '*.txt'], 'keep.txt', true],
    [['# comment', ''], 'a.txt', false],
    [['.nojekyll'], '.nojekyll', true],
    [['.well-known/*'], '.well-known/x', true],
  ])('%j matches %s: %s', (patterns, key, expected) => expect(patternMatcher(patterns)(key)).toBe(expected));
});

describe('selectSiteFiles', () => {
  const KEYS = [
    'index.html', '.env', '.env.production', '.DS_Store', 'assets/.DS_Store', '.git/config', '.git/objects/ab/cdef', 'blog/.hidden/x.html',
    '.well-known/security.txt', '.well-known/acme-challenge/token', 'sub/.well-known/x', '.nojekyll', 'assets/app.js', 'assets/app.js.gz', 'assets/app.js.br',
    'downloads/data.tar.gz', 'drafts/a.html', '.edgelock/deploys/x.json',
  ];

  test('dotfiles and dot-folders are skipped and listed, except /.well-known/; precompressed copies and .edgelock/ too', () => {
    const s = selectSiteFiles(KEYS, { include: [], exclude: [] });
    expect(s.publish).toEqual(['index.html', '.well-known/security.txt', '.well-known/acme-challenge/token', 'assets/app.js', 'downloads/data.tar.gz', 'drafts/a.html']);
    const reason = Object.fromEntries(s.skipped.map((x) => [x.key, x.reason]));
    for (const k of ['.env', '.env.production', '.DS_Store', 'assets/.DS_Store', '.git/config', '.git/objects/ab/cdef', 'blog/.hidden/x.html', 'sub/.well-known/x', '.nojekyll']) {
      expect(reason[k]).toMatch(/dotfile or dot-folder \(add a deploy.include pattern/);
    }
    expect(reason['assets/app.js.gz']).toMatch(/precompressed copy of assets\/app.js/);
    expect(reason['assets/app.js.br']).toMatch(/precompressed copy/);
    expect(reason['.edgelock/deploys/x.json']).toMatch(/reserved/);
    expect(s.publish.length + s.skipped.length).toBe(KEYS.length);
  });

  test('deploy.include publishes a dotfile on purpose; deploy.exclude skips anything; .edgelock/ stays reserved', () => {
    const s = selectSiteFiles(KEYS, { include: ['/.nojekyll', '.edgelock/'], exclude: ['drafts/', '*.tar.gz'] });
    expect(s.publish).toContain('.nojekyll');
    expect(s.publish).not.toContain('.env');
    expect(s.publish).not.toContain('.edgelock/deploys/x.json');
    expect(s.skipped.filter((x) => x.reason === 'matches deploy.exclude').map((x) => x.key)).toEqual(['downloads/data.tar.gz', 'drafts/a.html']);
  });
});

describe('secret-looking files', () => {
  test.each([
    'server.pem', 'certs/site.key', 'id_rsa', 'id_rsa.pub', 'keys/id_ed25519', '.npmrc', '.pypirc', '.netrc', '.git-credentials', 'credentials', 'credentials.json',
    '.aws/credentials', 'backup/.env.local', 'store.p12', 'app.pfx', 'infra/terraform.tfstate', 'putty.ppk', '.htpasswd',
  ])('by name: %s', (key) => expect(secretReason(key)).toMatch(/^(its name looks like|it is an AWS CLI credentials file)/));

  test.each<[string, string]>([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow...', 'private key block'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...', 'private key block'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEv...', 'private key block'],
    ['-----BEGIN EC PRIVATE KEY-----', 'private key block'],
    ['const cfg = { accessKeyId: "AKIAZ7QWERTYUIOP1234" }', 'AWS access key ID'],
    ['ASIAXYZ2ABCDEFGH3456 is a session key', 'AWS access key ID'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz', 'AWS secret access key'],
  ])('by content: %s', (text, what) => expect(secretReason('assets/app.js', Buffer.from(text))).toContain(what));

  test.each([
    ['index.html', '<p>Our public key fingerprint is below.</p>'],
    ['docs/aws.html', 'Use AKIAIOSFODNN7EXAMPLE as in the AWS documentation.'],
    ['keys.html', '-----BEGIN PUBLIC KEY-----'],
    ['cert.crt', '-----BEGIN CERTIFICATE-----'],
    ['keyboard.js', 'const AKIA = 1;'],
    ['monkey.png', ''],
  ])('not a secret: %s', (key, text) => expect(secretReason(key, Buffer.from(text))).toBeUndefined());
});
