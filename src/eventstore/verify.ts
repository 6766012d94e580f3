// The parts of a store that are the same whatever holds the log: the batched walk of the whole log
// (iterateAll) and the hash-chain check of verify(), over any store's readAll.
import { GENESIS_HASH, eventHash } from './hash.js';
import type { ReadAllOptions, StoredEvent, VerifyReport } from './types.js';

/** Options of EventStore.iterateAll. */
export type IterateAllOptions = Partial<ReadAllOptions> & { batchSize?: number };

/**
 * EventStore.iterateAll over `readAll`: batches of `batchSize` (else `limit`, else 1000) from
 * `after` on, each starting after the last event of the one before, until a short batch.
 */
export async function* iterateInBatches(
  readAll: (options: ReadAllOptions) => Promise<StoredEvent[]>,
  options: IterateAllOptions = {},
): AsyncGenerator<StoredEvent[]> {
  let after = options.after ?? 0;
  const limit = options.batchSize ?? options.limit ?? 1000;
  for (;;) {
    const batch = await readAll({ ...options, after, limit });
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]!.globalPosition;
    if (batch.length < limit) return;
  }
}

/**
 * Walks `batches` (the whole log in position order) up to `head`, the log's head read before the
 * walk, and recomputes the hash chain: a gap means a deleted event, a wrong prevHash a reordered or
 * inserted one, a wrong hash an altered one, a walk that ends before the head a lost tail. Reports
 * the first position at which the chain breaks. A read error for which `unreadable` is true counts
 * as a break at the position the walk had reached (an event the store cannot make sense of).
 */
export async function verifyChain(
  batches: AsyncIterable<StoredEvent[]>,
  head: { position: number; hash: string },
  unreadable: (error: unknown) => boolean = () => false,
): Promise<VerifyReport> {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const fail = (position: number): VerifyReport => ({ ok: false, checked, firstBadPosition: position });
  try {
    for await (const batch of batches) {
      for (const event of batch) {
        // Appends committed during the walk are not counted, and cannot make an intact chain look broken.
        if (event.globalPosition > head.position) break;
        if (event.globalPosition !== expected) return fail(expected);
        if (event.prevHash !== prevHash) return fail(expected);
        if (eventHash(event) !== event.hash) return fail(expected);
        prevHash = event.hash;
        checked += 1;
        expected += 1;
      }
      if (batch[batch.length - 1]!.globalPosition >= head.position) break;
    }
  } catch (error) {
    if (unreadable(error)) return fail(expected);
    throw error;
  }
  // The head names the last event the store wrote: a log that ends early lost its tail.
  if (checked !== head.position || prevHash !== head.hash) return fail(Math.min(checked, head.position) + 1);
  return { ok: true, checked, firstBadPosition: null };
}
