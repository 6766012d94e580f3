// The data of every event verstetigt stores, one zod schema per event type with its current
// schemaVersion (a file per aggregate), the registry of all of them, and the upcasters that read
// older stored shapes as the current one.
export * from './programme.js';
export * from './grant.js';
export * from './position.js';
export * from './corrections.js';
export * from './registry.js';
export * from './upcasting.js';
