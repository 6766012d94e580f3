// The parts of the Cloudflare Workers entry (src/worker.ts): the isolate's state and the answers
// given outside the app.
export { isolateState, settingsOf, signingKeyOf, type IsolateState, type WorkerEnv } from './isolate.js';
export { OIDC_PATHS, RETRY_AFTER_SECONDS, alive, databaseDown, germanPage, misconfigured, notFound, oidcNotOffered, problem, wantsPage } from './responses.js';
