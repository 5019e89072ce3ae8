// Which market each wanted token belongs to: learned from Postgres (every outcome of the market at
// once), kept in the core for flushes and in the object's SQLite across evictions; the one expand.
import { errorText, log } from "../workers/lib/log";
import type { StreamerCore } from "./streamer-core";
import type { MetaWithPrices } from "./streamer-postgres";
import type { StreamerSqlite } from "./streamer-sqlite";

export class TokenDirectory {
  constructor(
    private readonly core: StreamerCore,
    private readonly sqlite: StreamerSqlite,
    private readonly load: (tokenIds: string[]) => Promise<MetaWithPrices>,
  ) {}

  /** Learns the markets of the tokens it does not know yet. Never throws: an unmapped token stands alone. */
  async learn(tokens: readonly string[]): Promise<void> {
    const unknown = [...new Set(tokens)].filter((t) => !this.core.metaOf(t));
    if (unknown.length === 0) return;
    try {
      const { metas, prices } = await this.load(unknown);
      this.core.setMeta(metas, prices);
      this.sqlite.saveMeta(metas);
      for (const t of unknown) if (!this.core.metaOf(t)) log.warn("token_unmapped", { tokenId: t, hint: "not in market_tokens: run a market sync" });
    } catch (err) {
      log.warn("token_meta_failed", { error: errorText(err), tokens: unknown.length });
    }
  }

  /** Each token with its market's other outcomes (so markets.outcome_prices stays complete). */
  expand(tokens: readonly string[]): string[] {
    return [...new Set(tokens.flatMap((t) => this.core.metaOf(t)?.marketTokens ?? [t]))];
  }

  /** learn, then expand. */
  async expandLearning(tokens: readonly string[]): Promise<string[]> {
    await this.learn(tokens);
    return this.expand(tokens);
  }
}
