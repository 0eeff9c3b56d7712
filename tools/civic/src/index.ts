export { main, createProgram, type CommandContext } from './main.js';
export * from './output.js';
