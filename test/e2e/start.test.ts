/**
 * `edgelock start` (what `npm start` runs after compiling) serves the protected example site and
 * stops cleanly on SIGTERM, leaving no process and no listening port behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/config';
import { DEMO_AUTH, raw } from './helpers';

interface Summary {
  pid: number;
  url: string;
  user: string;
  password: string;
  s3: { endpoint: string };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`edgelock start exited with ${code} before printing its address`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const refused = (url: string) => fetch(url).then(() => false, () => true);

test('start serves the example site behind Basic auth and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--json', '--quiet', '--dist', tempDir('edgelock-start-dist-')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = exited(child);
  try {
    const summary = JSON.parse(await firstLine(child)) as Summary;
    expect(summary).toMatchObject({ user: 'demo', password: 'edgelock-demo' });

    expect((await raw(summary.url, '/')).status).toBe(401);
    const ok = await raw(summary.url, '/', { headers: { authorization: DEMO_AUTH } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('Acme preview');

    // Worker threads only: no live child process (esbuild's helper, stopped after the build, may
    // linger as a zombie until the process exits).
    const children = spawnSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout;
    expect(children.split('\n').filter((l) => l.trim() && !/^\s*\d+\s+Z/.test(l))).toEqual([]);

    child.kill('SIGTERM');
    const { code } = await done;
    expect(code).toBe(0);
    expect(stderr).toContain('SIGTERM: stopping the local edge');
    expect(await refused(summary.url)).toBe(true);
    expect(await refused(summary.s3.endpoint)).toBe(true);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

test('start stops by itself when its parent is killed without passing a signal on', async () => {
  // A wrapper shell stands in for npm killed with SIGKILL: the local edge must not outlive it.
  const dist = tempDir('edgelock-start-dist-');
  const wrapper = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" start --port 0 --json --quiet --dist "${dist}" & wait`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const summary = JSON.parse(await firstLine(wrapper)) as Summary;
  expect((await raw(summary.url, '/')).status).toBe(401);
  wrapper.kill('SIGKILL');
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 10_000;
  while (alive(summary.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const stillAlive = alive(summary.pid);
  if (stillAlive) process.kill(summary.pid, 'SIGKILL');
  expect(stillAlive).toBe(false);
  expect(await refused(summary.url)).toBe(true);
});
