// The Node entry point (`npm start` runs its bundle, dist/server.js): starts the server and hands
// it the demo recording, so the server module itself never loads the demo scenario.
import { recordDemoOnce } from '../infra/demo/index.js';
import { exitOnStartFailure, startServer } from './server.js';

startServer({ recordDemo: recordDemoOnce }).catch(exitOnStartFailure);
