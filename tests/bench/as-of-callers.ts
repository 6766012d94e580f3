// The as-of callers of the HTTP benchmark, in a process of their own so that their requests do not
// slow the process that measures the view's latency. argv: base URL, bearer token, number of
// callers, and `polite` (a refused caller waits the Retry-After the server names, as a client
// should) or `flood` (a refused caller asks again at once). Every call names a new instant after
// the log's end, so no answer comes from the cache. Runs until its standard input closes, then
// prints one JSON line { answered, refused }.
const [base, token, count, mode] = process.argv.slice(2);
if (!base || !token || !count || (mode !== 'polite' && mode !== 'flood')) {
  process.stderr.write('usage: as-of-callers.ts BASE TOKEN COUNT polite|flood\n');
  process.exit(2);
}

let running = true;
let answered = 0;
let refused = 0;
let instant = Date.now() + 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function caller(): Promise<void> {
  while (running) {
    const knownAt = new Date(instant++).toISOString();
    try {
      const response = await fetch(`${base}/api/v1/audit/as-of?knownAt=${knownAt}&view=staffing&asOf=2024-06-30`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status === 200) answered += 1;
      else if (response.status === 429) {
        refused += 1;
        if (mode === 'polite') await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      }
    } catch {
      // the server is measured, not this client
    }
  }
}

const callers = Array.from({ length: Number(count) }, caller);
process.stdin.resume();
process.stdin.on('end', () => {
  running = false;
  // Calls in flight are not waited for: a replay may take longer than the run.
  process.stdout.write(`${JSON.stringify({ answered, refused })}\n`);
  process.exit(0);
});
process.stdout.write('started\n');
await Promise.all(callers);
