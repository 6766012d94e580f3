// A progress reporter for long replays: on a terminal a bar redrawn in place with events/s and an
// ETA; elsewhere (logs, CI) one plain line per 10 %.

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporter {
  /** Reports `done` of `total` at `eventsPerSec`; fits `onProgress` of rebuildProjections. */
  update(done: number, total: number, eventsPerSec: number): void;
  /** Ends the bar (a newline on a terminal). */
  finish(): void;
}

/** Seconds as "1 h 02 min", "3 min 05 s", "12 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Creates a reporter writing to `stream` (default stderr), prefixed with `label`. */
export function createProgressReporter({
  stream = process.stderr as ProgressStream,
  label = 'rebuild',
  width = 30,
}: { stream?: ProgressStream; label?: string; width?: number } = {}): ProgressReporter {
  const tty = stream.isTTY === true;
  let lastTenth = -1;
  let drawn = false;
  return {
    update: function reportProgress(done, total, eventsPerSec) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(fraction * 100);
      const rate = `${Math.round(eventsPerSec).toLocaleString('de-DE')} Ereignisse/s`;
      if (tty) {
        const filled = Math.round(fraction * width);
        const eta = eventsPerSec > 0 ? formatDuration((total - done) / eventsPerSec) : '?';
        stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(percent).padStart(3)} % ${done}/${total} · ${rate} · noch ${eta}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(percent / 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${tenth * 10} % (${done}/${total}, ${rate})\n`);
      }
    },
    finish: function finishProgress() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
