// Spreads wanted tokens over market-channel connections ("shards") of bounded size.
// Polymarket sends no snapshots above 500 assets per connection; we stay well under it.

export type ShardDiff = Map<number, string[]>;

export class ShardPlan {
  private readonly shardByToken = new Map<string, number>();
  private readonly tokensByShard = new Map<number, Set<string>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`shard capacity ${capacity}`);
  }

  shardOf(token: string): number | undefined {
    return this.shardByToken.get(token);
  }

  tokensOf(shard: number): string[] {
    return [...(this.tokensByShard.get(shard) ?? [])];
  }

  shardIds(): number[] {
    return [...this.tokensByShard.keys()].sort((a, b) => a - b);
  }

  get tokenCount(): number {
    return this.shardByToken.size;
  }

  /**
   * Places new tokens into the lowest-numbered shards with room (opening new shards as needed).
   * Tokens already placed stay where they are: moving a token would cost an unsubscribe and a
   * resubscribe on two live connections. Returns the tokens added per shard.
   */
  assign(tokens: readonly string[]): ShardDiff {
    const diff: ShardDiff = new Map();
    let shard = 0;
    for (const token of tokens) {
      if (this.shardByToken.has(token)) continue;
      while ((this.tokensByShard.get(shard)?.size ?? 0) >= this.capacity) shard++;
      let set = this.tokensByShard.get(shard);
      if (!set) {
        set = new Set();
        this.tokensByShard.set(shard, set);
      }
      set.add(token);
      this.shardByToken.set(token, shard);
      const list = diff.get(shard) ?? [];
      list.push(token);
      diff.set(shard, list);
    }
    return diff;
  }

  /** Removes tokens; returns the tokens removed per shard (a shard left empty disappears). */
  release(tokens: readonly string[]): ShardDiff {
    const diff: ShardDiff = new Map();
    for (const token of tokens) {
      const shard = this.shardByToken.get(token);
      if (shard === undefined) continue;
      this.shardByToken.delete(token);
      const set = this.tokensByShard.get(shard)!;
      set.delete(token);
      if (set.size === 0) this.tokensByShard.delete(shard);
      const list = diff.get(shard) ?? [];
      list.push(token);
      diff.set(shard, list);
    }
    return diff;
  }
}
