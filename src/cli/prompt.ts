/**
 * Reads a secret: from a terminal without echo (asked twice when `confirm` is set), otherwise the
 * first line of stdin.
 */
import { UsageError } from '../errors';

function readLineFromTty(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function readSecret(prompt: string, options: { confirm?: string } = {}): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLineOfStdin();
  const first = await readLineFromTty(prompt);
  if (options.confirm) {
    const second = await readLineFromTty(options.confirm);
    if (first !== second) throw new UsageError('the two passwords differ; nothing was printed');
  }
  return first;
}
