// The public surface of schemas/: primitives, reference data, event and command schemas.
export * from './primitives.js';
export * from './municipalities.js';
export * from './programmes.js';
export * from './fields.js';
export * from './events/index.js';
export * from './commands.js';
export * from './grant-terms.js';
