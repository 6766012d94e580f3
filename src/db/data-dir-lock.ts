// Who holds the embedded database. PGlite takes no lock of its own: a second process opening the
// same DATA_DIR starts happily on files the first is still writing (it does not even see the
// first one's recent writes) and can corrupt them. So whoever opens the folder — the server or a
// CLI command — first claims it with a lock file `DATA_DIR/verstetigt.lock` naming its process; a
// lock whose process is gone (a crash, SIGKILL) is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseUnavailableError } from './open-database.js';

/** The lock file's name inside DATA_DIR. */
export const DATA_DIR_LOCK_FILE = 'verstetigt.lock';

/** What the lock file says about its holder. */
export interface DataDirHolder {
  pid: number;
  /** 'server' for the HTTP server, else the CLI command's name. */
  holder: string;
  /** The server's HTTP port, when the holder is the server. */
  port?: number;
  since: string;
}

/** Thrown when another live process holds DATA_DIR; `holder` says which. */
export class DataDirInUseError extends DatabaseUnavailableError {
  override name = 'DataDirInUseError';
  /** `advice` completes the sentence: what to do instead (default: stop the holder first). */
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
    advice = 'beenden Sie ihn zuerst',
  ) {
    super(
      holder.holder === 'server'
        ? `Die Datenbank in ${dataDir} wird vom laufenden Server benutzt (Prozess ${holder.pid}${holder.port ? `, Port ${holder.port}` : ''}); ${advice}.`
        : `Die Datenbank in ${dataDir} wird gerade von „verstetigt ${holder.holder}“ benutzt (Prozess ${holder.pid}); ${advice}.`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): DataDirHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return { pid: parsed.pid, holder: String(parsed.holder ?? 'server'), since: String(parsed.since ?? ''), ...(typeof parsed.port === 'number' ? { port: parsed.port } : {}) };
  } catch {
    return undefined;
  }
}

/** The live process holding `dataDir`, or undefined when none does (no lock file, or a stale one). */
export function dataDirHolder(dataDir: string): DataDirHolder | undefined {
  const holder = readHolder(join(dataDir, DATA_DIR_LOCK_FILE));
  return holder && holder.pid !== process.pid && alive(holder.pid) ? holder : undefined;
}

/**
 * Claims `dataDir` for this process: creates the lock file exclusively (taking over a stale one)
 * and returns the function that releases it (also run when the process exits). Throws
 * DataDirInUseError when another live process holds it. A folder that cannot be created or written
 * is left to openDatabase, which reports it in one line; the claim then returns a no-op release.
 */
export function claimDataDir(dataDir: string, who: { holder: string; port?: number | undefined }): () => void {
  const file = join(dataDir, DATA_DIR_LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, holder: who.holder, ...(who.port ? { port: who.port } : {}), since: new Date().toISOString() });
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch {
    return () => {};
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return () => {};
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
      // Stale (or half-written by a process that died): remove and try again.
      try {
        unlinkSync(file);
      } catch {
        // Another process removed it first; the next attempt decides.
      }
      continue;
    }
    writeSync(fd, content);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      // Only our own lock: never remove one a later holder wrote.
      if (readHolder(file)?.pid === process.pid) {
        try {
          unlinkSync(file);
        } catch {
          // Already gone.
        }
      }
    };
    process.on('exit', release);
    return release;
  }
  const holder = readHolder(file);
  if (holder) throw new DataDirInUseError(dataDir, holder);
  return () => {};
}
