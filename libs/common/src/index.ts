export * from './config/app-config.js';
export * from './errors/app.exception.js';
export * from './errors/error-body.js';
export * from './logging/logger.js';
export * from './validation/text.js';
export * from './validation/reject-unsafe-keys.interceptor.js';
export * from './validation/optional.js';
