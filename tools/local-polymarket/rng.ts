// Seeded pseudo-randomness for the local Polymarket: the same seed gives the same markets, books and feed.
// Used for simulation choices only (which market moves, which ids to mint); money stays in integers.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `bytes` random bytes as lowercase hex, without 0x. */
  hex(bytes: number): string;
  /** A child generator whose stream depends only on this seed and the label. */
  fork(label: string): Rng;
}

/** FNV-1a over the text: turns any seed label into 32 bits. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** sfc32: small, fast, well distributed, and reproducible across platforms. */
export function createRng(seed: number | string): Rng {
  const label = String(seed);
  let a = hash32(`a:${label}`);
  let b = hash32(`b:${label}`);
  let c = hash32(`c:${label}`);
  let d = 1;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    hex: (bytes) => {
      let out = "";
      for (let i = 0; i < bytes; i++) out += Math.floor(next() * 256).toString(16).padStart(2, "0");
      return out;
    },
    fork: (child) => createRng(`${label}/${child}`),
  };
  return rng;
}
