import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { parseHtpasswdText } from '../../src/config/htpasswd';
import { runCli } from '../helpers/cli';

describe('edgelock hash', () => {
  test('prints an htpasswd line whose bcrypt hash verifies the password read from stdin', () => {
    const r = runCli(['hash', 'alice', '--cost', '8'], { input: 's3cret pass\n' });
    expect(r.status).toBe(0);
    const { users, problems } = parseHtpasswdText(r.stdout);
    expect(problems).toEqual([]);
    expect(users).toHaveLength(1);
    expect(users[0]!.user).toBe('alice');
    expect(users[0]!.hash).toMatch(/^\$2b\$08\$/);
    expect(bcrypt.compareSync('s3cret pass', users[0]!.hash)).toBe(true);
    expect(bcrypt.compareSync('s3cret pas', users[0]!.hash)).toBe(false);
  });

  test('defaults to cost 10 and prints a bare hash without a user', () => {
    const r = runCli(['hash'], { input: 'pw\n' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}\n$/);
  });

  test.each([
    [['hash', 'a', '--cost', '4'], 'pw\n', /--cost must be a whole number from 8 to 14 \(got "4"\)/],
    [['hash', 'a', '--cost', 'ten'], 'pw\n', /--cost must be a whole number/],
    [['hash', 'a:b'], 'pw\n', /contains ":"/],
    [['hash', 'a'], '\n', /empty password/],
    [['hash', 'a'], `${'x'.repeat(73)}\n`, /first 72 bytes/],
  ])('refuses %j with exit 2 and a reason', (args, input, message) => {
    const r = runCli(args, { input });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test("Apache's htpasswd -nbB lines are accepted by the config", () => {
    const line = execFileSync('/usr/bin/htpasswd', ['-nbB', '-C', '8', 'bob', 'pw'], { encoding: 'utf8' });
    const { users, problems } = parseHtpasswdText(line);
    expect(problems).toEqual([]);
    expect(users[0]!.hash).toMatch(/^\$2y\$08\$/);
    expect(bcrypt.compareSync('pw', users[0]!.hash)).toBe(true);
  });
});
