/** Browser tests: real Debian Chromium via playwright-core against the whole platform (`npm run test:browser`). */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // One Chromium at a time: the machine has two cores and the tests drive several pages each.
  maxWorkers: 1,
  testTimeout: 120000,
};
