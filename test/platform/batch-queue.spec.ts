import { describe, expect, it } from '@jest/globals';
import { BatchQueue, type Settled } from '@edp/common';

/** A run function that records its batches and answers when told to. */
function recorder(
  answer: (item: number) => Settled<string> = (n) => ({ ok: true, value: `#${n}` }),
) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map(answer);
  };
  const openAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, gates, run, openAll };
}

describe('BatchQueue (group commit)', () => {
  it('sends an item at once when idle, and groups what arrives while a batch is in flight', async () => {
    const r = recorder();
    const queue = new BatchQueue(r.run, { concurrency: 1, maxBatch: 3 });
    const answers = Promise.all([1, 2, 3, 4, 5, 6].map((n) => queue.submit(`k${n}`, n)));
    expect(r.batches).toEqual([[1]]);
    await r.openAll();
    await r.openAll();
    expect(await answers).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
    // 1 alone; 2–4 waited for it (at most three a batch); 5–6 after them.
    expect(r.batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('never puts two items with the same key in one batch, and keeps their order', async () => {
    const r = recorder();
    const queue = new BatchQueue(r.run, { concurrency: 1, maxBatch: 10 });
    const answers = Promise.all(
      [
        ['a', 1],
        ['b', 2],
        ['a', 3],
        ['a', 4],
        ['c', 5],
      ].map(([key, n]) => queue.submit(key as string, n as number)),
    );
    await r.openAll();
    await r.openAll();
    await r.openAll();
    await answers;
    expect(r.batches).toEqual([[1], [2, 3, 5], [4]]);
  });

  it('lets items with no key share a batch with anything', async () => {
    const r = recorder();
    const queue = new BatchQueue(r.run, { concurrency: 1, maxBatch: 10 });
    const answers = Promise.all(
      [null, null, 'a', null, 'a', null].map((key, n) => queue.submit(key, n)),
    );
    await r.openAll();
    await r.openAll();
    await r.openAll();
    expect(await answers).toEqual(['#0', '#1', '#2', '#3', '#4', '#5']);
    expect(r.batches).toEqual([[0], [1, 2, 3, 5], [4]]);
  });

  it("gives each item its own answer: one item's refusal is not its neighbours'", async () => {
    const r = recorder((n) =>
      n === 2 ? { ok: false, error: new Error('refused 2') } : { ok: true, value: `#${n}` },
    );
    const queue = new BatchQueue(r.run, { concurrency: 1, maxBatch: 10 });
    const first = queue.submit('x', 0);
    const answers = [1, 2, 3].map((n) => queue.submit(`k${n}`, n).catch((e: Error) => e.message));
    await r.openAll();
    await r.openAll();
    await first;
    expect(await Promise.all(answers)).toEqual(['#1', 'refused 2', '#3']);
  });

  it('when a whole batch fails, tries each item alone, so only the item that fails again is refused', async () => {
    const tried: number[][] = [];
    const queue = new BatchQueue<number, string>(
      async (items) => {
        tried.push(items);
        if (items.includes(2)) throw new Error('constraint broken by 2');
        return items.map((n) => ({ ok: true, value: `#${n}` }));
      },
      { concurrency: 1, maxBatch: 10 },
    );
    const blocker = queue.submit('x', 0);
    const answers = [1, 2, 3].map((n) => queue.submit(`k${n}`, n).catch((e: Error) => e.message));
    await blocker;
    expect(await Promise.all(answers)).toEqual(['#1', 'constraint broken by 2', '#3']);
    expect(tried).toEqual([[0], [1, 2, 3], [1], [2], [3]]);
  });

  it('says when the batches in flight now have settled, not waiting for later ones', async () => {
    const r = recorder();
    const queue = new BatchQueue(r.run, { concurrency: 1, maxBatch: 10 });
    let idle = false;
    await queue.settled().then(() => (idle = true));
    expect(idle).toBe(true);
    const first = queue.submit('k1', 1);
    const second = queue.submit('k2', 2);
    let settled = false;
    const waiting = queue.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    // The first batch settles; the second (sent as it settles) is still in flight.
    r.gates.shift()!();
    await waiting;
    expect(await first).toBe('#1');
    expect(r.batches).toEqual([[1], [2]]);
    expect(r.gates).toHaveLength(1);
    await r.openAll();
    expect(await second).toBe('#2');
  });

  it('runs up to `concurrency` batches at once', async () => {
    const r = recorder();
    const queue = new BatchQueue(r.run, { concurrency: 2, maxBatch: 10 });
    const answers = Promise.all([1, 2, 3, 4].map((n) => queue.submit(`k${n}`, n)));
    expect(r.batches).toEqual([[1], [2]]);
    await r.openAll();
    await r.openAll();
    await answers;
    expect(r.batches).toEqual([[1], [2], [3, 4]]);
  });
});
