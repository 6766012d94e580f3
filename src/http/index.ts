export { createApp, describeError } from './app.js';
export type { App, AppDependencies } from './app.js';
export { HttpProblem, ValidationProblem, NotFoundProblem, isDatabaseUnavailable } from './problem.js';
