// The local Polymarket (tools/local-polymarket) for tests that run under the Workers types: the part
// of its handle they use, started through a dynamic import (tools/ is type-checked with Node types).
import { markets, marketTokens } from "../../workers/db/schema";
import type { Db } from "../../workers/db/client";
import type { PmMarket } from "./polymarket-control";

/** A market of the local Polymarket, as its control API and its handle describe it. */
export type LocalMarket = PmMarket;

export interface LocalOrder {
  orderId?: string;
  /** The request's leg as parsed: the signed order, its owner (API key) and order type. */
  order?: { order?: { maker?: string; signer?: string; side?: string; signatureType?: number; makerAmount?: string }; owner?: string; orderType?: string };
  signer?: string;
  signatureValid?: boolean;
  authOk: boolean;
  outcome: string;
  httpStatus: number;
  route: string;
}

export interface LocalFault {
  kind: "error" | "rate-limit" | "delay" | "hang" | "reject-eoa" | "trading-disabled" | "null-answer";
  route?: string;
  count?: number;
  status?: number;
  retryAfter?: number;
  message?: string;
  ms?: number;
}

export interface LocalPolymarket {
  clobUrl: string;
  markets(): LocalMarket[];
  orders(): LocalOrder[];
  setBook(tokenId: string, book: { bids: Array<{ price: string; size: string }>; asks: Array<{ price: string; size: string }> }): void;
  depositWallet(owner: string, wallet?: string): string;
  /** Makes a market fee-enabled (or fee-free with null). */
  setFees(marketId: string, fees: { rate: string; exponent: number } | null): void;
  setBalance(address: string, balances: { pusd?: string; tokenId?: string; shares?: string }): void;
  balance(address: string, tokenId?: string): { pusd: string; shares?: string };
  scenario: { stop(): void };
  /** GET /api/geoblock of the local Polymarket. */
  geoblockUrl: string;
  /** The venue rules; a patch switches the region (allowed, blocked, close-only). */
  rules(patch?: { region?: { mode: "allowed" | "blocked" | "close-only"; country?: string } }): unknown;
  faults: { add(spec: LocalFault): unknown; clear(): void; list(): Array<LocalFault & { hits: number; remaining?: number }> };
  stop(): Promise<void>;
}

export async function startLocalVenue(seed: string): Promise<LocalPolymarket> {
  const path = "../../tools/local-polymarket/server.ts";
  const mod = (await import(/* @vite-ignore */ path)) as { startLocalPolymarket(o?: { seed?: string }): Promise<LocalPolymarket> };
  return mod.startLocalPolymarket({ seed });
}

/** Our rows for one of the local markets: same ids, tick, neg risk and version. */
export async function seedLocalMarket(db: Db, market: LocalMarket, fees?: { rate: string; exponent: number }): Promise<void> {
  await db
    .insert(markets)
    .values({
      id: market.id, conditionId: market.conditionId, question: market.question, clobTokenIds: market.tokenIds, outcomes: market.outcomes, outcomePrices: ["0.5", "0.5"],
      tickSize: market.tickSize, negRisk: market.negRisk, version: market.version, ...(fees ? { feeRate: fees.rate, feeExponent: fees.exponent } : {}),
    })
    // The test database is shared by test files: a fee schedule given here is this market's from now on.
    .onConflictDoUpdate({ target: markets.id, set: fees ? { feeRate: fees.rate, feeExponent: fees.exponent } : { id: market.id } });
  await db.insert(marketTokens).values(market.tokenIds.map((tokenId, i) => ({ tokenId, marketId: market.id, outcome: market.outcomes[i]!, outcomeIndex: i }))).onConflictDoNothing();
}
