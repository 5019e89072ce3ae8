// A market feed the scenarios run in the background: each token's best bid steps between a few
// prices chosen by the scenario, so prices keep moving (flushes, trigger checks) without leaving them.
import type { Chaos } from "./harness";
import { movePrice } from "./seed";

export interface Feed {
  /** Changes the prices a token walks between (cents); an empty list leaves it alone. */
  set(tokenId: string, cents: readonly number[]): void;
  /** Moves made so far. */
  readonly moves: number;
  stop(): void;
}

export function startFeed(c: Chaos, everyMs: number): Feed {
  const walks = new Map<string, { cents: readonly number[]; at: number }>();
  let moves = 0;
  const timer = setInterval(() => {
    for (const [token, w] of walks) {
      if (w.cents.length === 0) continue;
      w.at = (w.at + 1) % w.cents.length;
      try {
        movePrice(c, token, w.cents[w.at]!);
        moves++;
      } catch (err) {
        c.note(`feed: ${(err as Error).message}`);
      }
    }
  }, everyMs);
  return {
    set: (tokenId, cents) => walks.set(tokenId, { cents, at: -1 }),
    get moves() {
      return moves;
    },
    stop: () => clearInterval(timer),
  };
}
