// Which wanted tokens the stream does not cover right now, and so are polled over REST (pure).

/** A token still without a book this long after its shard opened is fetched over REST meanwhile. */
export const NO_BOOK_GRACE_MS = 5_000;

export interface ShardView {
  healthy(now: number): boolean;
  readonly openedAt: number | undefined;
  readonly tokens: Iterable<string>;
}

export interface PollInput {
  /** STREAMER_ENABLED: with the stream off, every wanted token is polled. */
  streaming: boolean;
  wanted: () => string[];
  shards: Iterable<ShardView>;
  hasBook(token: string): boolean;
  now: number;
}

/** Tokens on a down or stale shard, and tokens of a young-enough healthy shard still without a book. */
export function tokensToPoll(p: PollInput): string[] {
  if (!p.streaming) return p.wanted();
  const out: string[] = [];
  for (const shard of p.shards) {
    if (!shard.healthy(p.now)) out.push(...shard.tokens);
    else if (p.now - (shard.openedAt ?? p.now) > NO_BOOK_GRACE_MS) for (const t of shard.tokens) if (!p.hasBook(t)) out.push(t);
  }
  return out;
}
