// The part of the `cloudflare:test` module (provided by @cloudflare/vitest-pool-workers inside
// workerd) that the Worker suite uses, typed without the Workers type package.
declare module 'cloudflare:test' {
  export const env: Record<string, unknown> & {
    HYPERDRIVE: { connectionString: string };
    HYPERDRIVE_NO_DATABASE: { connectionString: string };
    HYPERDRIVE_SILENT: { connectionString: string };
    /** Workers assets (wrangler.toml `[assets]`), as Cloudflare serves them before the Worker runs. */
    ASSETS: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  };
  export function createExecutionContext(): { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void };
  export function waitOnExecutionContext(ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: number | Date; cron?: string }): {
    readonly cron: string;
    readonly scheduledTime: number;
    noRetry(): void;
  };
}
