/** The sweep's progress line on a terminal: objects swept so far and how many have problems. */
import { SingleBar } from 'cli-progress';
import type { SweepProgress } from '../origin/doctor/sweep';

export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

/** A progress reporter writing to `stream`, or undefined when `stream` is not a terminal. */
export function sweepProgress(stream: ProgressStream): { update(p: SweepProgress): void; stop(): void } | undefined {
  if (!stream.isTTY) return undefined;
  const bar = new SingleBar({ format: 'sweeping ({phase}): {value} objects, {problems} with problems', stream, hideCursor: true, fps: 5 });
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(0, 0, { phase: p.phase, problems: 0 });
        started = true;
      }
      bar.update(p.objects, { phase: p.phase, problems: p.problems });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
