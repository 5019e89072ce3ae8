// The streamer's market-channel connections: the shard plan (which token rides which socket) and
// one ShardConnection per shard, opened when a shard gets its first token and shut when it empties.
import { log } from "../workers/lib/log";
import type { ShardConnection } from "./shard-connection";
import { ShardPlan } from "./shard-plan";

export class ShardPool {
  private readonly plan: ShardPlan;
  private readonly shards = new Map<number, ShardConnection>();

  constructor(capacity: number, private readonly open: (id: number) => ShardConnection) {
    this.plan = new ShardPlan(capacity);
  }

  get size(): number {
    return this.shards.size;
  }

  all(): ShardConnection[] {
    return [...this.shards.values()];
  }

  /** Puts new tokens on shards with room and takes removed ones off (wire state follows intent). */
  apply(added: readonly string[], removed: readonly string[], total: number): void {
    for (const [id, list] of this.plan.release(removed)) this.shards.get(id)?.remove(list);
    for (const [id, list] of this.plan.assign(added)) this.shard(id).add(list);
    for (const [id, shard] of this.shards) {
      if (shard.tokens.size > 0) continue;
      shard.shutdown("no tokens");
      this.shards.delete(id);
    }
    if (added.length) log.info("subscribed", { tokens: added.length, total });
    if (removed.length) log.info("unsubscribed", { tokens: removed.length, total });
  }

  /** The connection carrying a token, if any. */
  shardOf(token: string): ShardConnection | undefined {
    const id = this.plan.shardOf(token);
    return id === undefined ? undefined : this.shards.get(id);
  }

  tick(now: number): void {
    for (const shard of this.shards.values()) shard.tick(now);
  }

  reconnectAll(now: number): void {
    for (const shard of this.shards.values()) shard.reconnectNow(now);
  }

  private shard(id: number): ShardConnection {
    let shard = this.shards.get(id);
    if (!shard) this.shards.set(id, (shard = this.open(id)));
    return shard;
  }
}
