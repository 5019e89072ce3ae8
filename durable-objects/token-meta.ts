// Token → market mapping the streamer keeps (from market_tokens and markets.clob_token_ids).

export interface TokenMeta {
  tokenId: string;
  marketId: string;
  outcomeIndex: number;
  /** All token ids of the market, aligned with its outcomes. */
  marketTokens: string[];
}
