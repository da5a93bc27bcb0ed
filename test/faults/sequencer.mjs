// Scenarios run one at a time in name order; the log scan runs last, after every server has written.
import TestSequencer from '@jest/test-sequencer';

const Base = TestSequencer.default ?? TestSequencer;

export default class FaultSequencer extends Base {
  sort(tests) {
    const last = (test) => (test.path.endsWith('logs.fault.ts') ? 1 : 0);
    return [...tests].sort((a, b) => last(a) - last(b) || a.path.localeCompare(b.path));
  }
}
