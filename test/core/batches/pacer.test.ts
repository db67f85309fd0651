import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src-main/core/batches/pacer';

function harness(cps: number) {
  let now = 0;
  const slots: number[] = [];
  const pacer = new Pacer(
    () => now,
    async (ms) => {
      now += ms;
    },
    () => cps,
  );
  return {
    pacer,
    slots,
    advance: (ms: number) => (now += ms),
    take: async () => {
      await pacer.acquire();
      slots.push(now);
    },
  };
}

describe('Pacer', () => {
  it('keeps the grid when each call runs a little late, so the rate does not sag under load', async () => {
    const h = harness(10);
    for (let i = 0; i < 50; i += 1) {
      await h.take();
      h.advance(i % 3 === 0 ? 130 : 60); // every third dial takes longer than the 100 ms interval
    }
    const rate = (h.slots.length - 1) / ((h.slots.at(-1)! - h.slots[0]!) / 1000);
    expect(rate).toBeGreaterThan(9.8);
    // Never more than one call above the pace in any 1-second window.
    for (let i = 0; i < h.slots.length; i += 1) {
      const inWindow = h.slots.filter((t) => t >= h.slots[i]! && t < h.slots[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(11);
    }
  });

  it('restarts the grid after an idle gap instead of bursting the calls it missed', async () => {
    const h = harness(10);
    await h.take();
    h.advance(5_000);
    await h.take();
    await h.take();
    await h.take();
    expect(h.slots).toEqual([0, 5_000, 5_100, 5_200]);
  });

  it('holds everybody after a 429', async () => {
    const h = harness(10);
    await h.take();
    h.pacer.holdFor(1_000);
    await h.take();
    expect(h.slots).toEqual([0, 1_000]);
  });
});
