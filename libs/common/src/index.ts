export * from './config/app-config.js';
export * from './errors/app.exception.js';
export * from './errors/error-body.js';
export * from './logging/logger.js';
export * from './validation/text.js';
export * from './validation/reject-unsafe-keys.guard.js';
export * from './validation/optional.js';
export * from './concurrency/batch-queue.js';
