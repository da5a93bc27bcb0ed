export * from './database.module.js';
export * from './database.health.js';
export * from './data-source.factory.js';
export * from './embedded-registry.js';
export * from './migrate.js';
export * from './migrations/index.js';
export * from './transaction.js';
export * from './testing/test-database.js';
