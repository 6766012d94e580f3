export * from './commands.js';
export { fold, handleCommand, IdempotencyKeyReusedError, load, MAX_ATTEMPTS, StreamNotFoundError, visible } from './handle-command.js';
export type { CommandContext, CommandResult, HandleOptions } from './handle-command.js';
export { seedProgrammes, seedRegistration, SYSTEM_ACTOR } from './seed-programmes.js';
