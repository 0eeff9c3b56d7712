/** Test and benchmark helpers: a test network, real orderer processes, load clients. */
export * from './network.js';
export * from './cluster.js';
export * from './load.js';
