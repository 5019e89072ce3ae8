// Frozen-feed cross-check: while triggers are armed, their tokens' books are fetched over REST
// (POST /books, batched) every STREAMER_CROSSCHECK_MS and compared with the stream's. A REST book
// that moved while the stream stayed silent for that token means a frozen shard (PONG answered, no
// data): the REST book is acted on at once (triggers see source 'poll') and the shard reconnects.
// Tokens with nothing armed are never checked, so quiet markets keep the calm silence rule.
import { errorText, log } from "../workers/lib/log";
import type { MicroInt } from "../workers/money/micros";
import type { BookQuote } from "../workers/polymarket/types";
import type { Metrics } from "./metrics";

/** A stream update this close before the REST request began may still be racing it: not a freeze. */
export const CROSSCHECK_GRACE_MS = 1_000;

export interface StreamTop {
  bid: MicroInt | undefined;
  ask: MicroInt | undefined;
  /** Receipt time of the stream's last update of the token. */
  at: number;
}

/** The REST books that moved while the stream said nothing about their tokens since `silentSince` (pure). */
export function frozenBooks(books: readonly BookQuote[], streamTop: (token: string) => StreamTop | undefined, silentSince: number): BookQuote[] {
  const out: BookQuote[] = [];
  for (const b of books) {
    const s = streamTop(b.tokenId);
    if (!s || s.at >= silentSince) continue; // no stream book yet (the poller covers it), or the stream spoke
    if (b.bids[0]?.price === s.bid && b.asks[0]?.price === s.ask) continue; // same top: a quiet market
    out.push(b);
  }
  return out;
}

export interface CrossCheckDeps {
  /** 0: off. */
  intervalMs: number;
  metrics: Metrics;
  now(): number;
  /** Tokens with armed triggers whose shard looks healthy (a down shard is polled anyway). */
  armedTokens(): string[];
  fetchBooks(tokenIds: string[]): Promise<BookQuote[]>;
  streamTop(tokenId: string): StreamTop | undefined;
  /** Frozen tokens' REST books: act on them and reconnect their shards. */
  onFrozen(books: BookQuote[], receivedAt: number): void;
}

export class CrossCheck {
  inflight = false;
  lastAt = 0;
  frozen = 0;
  private readonly countRequests;
  private readonly countFrozen;

  constructor(private readonly d: CrossCheckDeps) {
    this.countRequests = d.metrics.counter("polycool_crosscheck_requests_total", "Cross-check rounds of armed tokens' books over REST");
    this.countFrozen = d.metrics.counter("polycool_frozen_feed_tokens_total", "Tokens whose REST book moved while the stream stayed silent");
  }

  tick(now: number): void {
    if (this.d.intervalMs <= 0 || this.inflight || now - this.lastAt < this.d.intervalMs) return;
    const tokens = this.d.armedTokens();
    if (tokens.length === 0) return;
    this.lastAt = now;
    this.inflight = true;
    void this.run(tokens, now).finally(() => (this.inflight = false));
  }

  private async run(tokens: string[], startedAt: number): Promise<void> {
    this.countRequests();
    try {
      const books = await this.d.fetchBooks(tokens);
      const frozen = frozenBooks(books, (t) => this.d.streamTop(t), startedAt - CROSSCHECK_GRACE_MS);
      if (!frozen.length) return;
      this.frozen += frozen.length;
      this.countFrozen(frozen.length);
      log.warn("feed_frozen", { tokens: frozen.length, checked: books.length });
      this.d.onFrozen(frozen, this.d.now());
    } catch (err) {
      log.warn("crosscheck_failed", { error: errorText(err), tokens: tokens.length });
    }
  }
}
