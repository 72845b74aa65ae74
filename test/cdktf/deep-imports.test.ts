/** The provider is imported by deep path only: its root index costs seconds and hundreds of MB per load. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );

it.each(['cdktf', 'src', 'test', 'bench'])('%s/ never imports @cdktf/provider-aws by its root', (dir) => {
  const offenders = files(dir).filter((f) => /(from|require\()\s*['"]@cdktf\/provider-aws['"]/.test(readFileSync(path.join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});
