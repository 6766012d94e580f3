export { recordDemo } from './scenario.js';
export { DEMO_LOCK_KEY, recordDemoOnce, type RecordDemoOnceOptions } from './record-once.js';
