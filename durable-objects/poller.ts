// Polling fallback: while a shard is down or stale (or a token has no book), fetch the wanted
// tokens' books over REST every few seconds and feed them through the same path as the stream.
import { errorText, log } from "../workers/lib/log";
import type { BookQuote } from "../workers/polymarket/types";
import type { Metrics } from "./metrics";

/** POST /books takes at most 500 tokens per call (polymarket.md §4.1). */
export const BOOKS_PER_REQUEST = 500;

export interface PollerDeps {
  intervalMs: number;
  metrics: Metrics;
  fetchBooks(tokenIds: string[]): Promise<BookQuote[]>;
  onBook(quote: BookQuote, receivedAt: number): void;
  now?: () => number;
}

export class Poller {
  active = false;
  inflight = false;
  lastPollAt = 0;
  lastTokens = 0;
  requests = 0;
  errors = 0;
  private readonly countRequests;
  private readonly countTokens;
  private readonly countErrors;

  constructor(private readonly deps: PollerDeps) {
    this.countRequests = deps.metrics.counter("polycool_poll_requests_total", "POST /books requests made by the polling fallback");
    this.countTokens = deps.metrics.counter("polycool_poll_tokens_total", "Books fetched by the polling fallback");
    this.countErrors = deps.metrics.counter("polycool_poll_errors_total", "Failed polling requests");
  }

  /** Polls `tokens` when due; an empty list means the stream covers everything (polling stops). */
  tick(now: number, tokens: readonly string[]): void {
    const wasActive = this.active;
    this.active = tokens.length > 0;
    if (wasActive !== this.active) log.info(this.active ? "polling_started" : "polling_stopped", { tokens: tokens.length });
    if (!this.active || this.inflight || now - this.lastPollAt < this.deps.intervalMs) return;
    this.lastPollAt = now;
    this.inflight = true;
    void this.poll([...tokens]).finally(() => (this.inflight = false));
  }

  private async poll(tokens: string[]): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < tokens.length; i += BOOKS_PER_REQUEST) chunks.push(tokens.slice(i, i + BOOKS_PER_REQUEST));
    for (const chunk of chunks) {
      this.requests++;
      this.countRequests();
      try {
        const books = await this.deps.fetchBooks(chunk);
        const receivedAt = (this.deps.now ?? Date.now)();
        for (const b of books) this.deps.onBook(b, receivedAt);
        this.countTokens(books.length);
        this.lastTokens = books.length;
      } catch (err) {
        this.errors++;
        this.countErrors();
        log.warn("poll_failed", { error: errorText(err), tokens: chunk.length });
      }
    }
  }
}
