export * from './similarity/similarity.threshold.js';
