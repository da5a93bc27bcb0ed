/** The fault suite (`npm run test:faults`): real server processes, one scenario at a time. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/faults/global-setup.mjs',
  globalTeardown: '<rootDir>/test/faults/global-teardown.mjs',
  testSequencer: '<rootDir>/test/faults/sequencer.mjs',
  maxWorkers: 1,
  testTimeout: 240000,
};
