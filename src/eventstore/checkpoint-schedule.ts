// The schedule that keeps the log's signed checkpoints close to its head.
import type { SignedLog } from './signed-log.js';

export interface CheckpointScheduleOptions {
  log: SignedLog;
  /** Where appends of this process are announced (EventStore.onAppended). */
  onAppended(listener: (lastPosition: number) => void): () => void;
  /** A checkpoint after this many new events … */
  everyEvents: number;
  /** … or after this many milliseconds (appends of other processes are picked up then). */
  everyMs: number;
  /** Told about a checkpoint that failed (e.g. LogIntegrityError); the schedule goes on. */
  onError(error: unknown): void;
}

/**
 * Stores a signed checkpoint every `everyEvents` events or `everyMs` milliseconds, one at a time.
 * `stop()` ends the schedule and waits for a checkpoint in progress.
 */
export function scheduleCheckpoints(options: CheckpointScheduleOptions): { stop(): Promise<void>; idle(): Promise<void> } {
  const { log, everyEvents, everyMs, onError } = options;
  let signedUpTo = -1;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = log
      .checkpoint()
      .then((cp) => {
        signedUpTo = cp.position;
      }, onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const unsubscribe = options.onAppended((last) => {
    if (signedUpTo < 0 || last - signedUpTo >= everyEvents) run();
  });
  const timer = setInterval(run, everyMs);
  timer.unref();
  run();
  return {
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      while (running) await running;
    },
  };
}
