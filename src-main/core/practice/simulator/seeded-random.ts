// A small seeded PRNG (mulberry32): the simulator's timings and its shuffle / duplicate / drop decisions must be
// reproducible from `seed`, so a failing practice run or test can be replayed exactly.

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  /** An independent stream for one call, so one call's decisions don't depend on how other calls interleave. */
  static forCall(seed: number, callIndex: number): SeededRandom {
    return new SeededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(callIndex + 1, 0x85ebca6b)) >>> 0);
  }
}
