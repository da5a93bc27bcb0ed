export * from './workshop.module.js';
