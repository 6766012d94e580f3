export { recordDemo } from './scenario.js';
