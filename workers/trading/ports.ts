// The seams of trading: the live book and subscriptions (the streamer), the venue (paper or live), the clock.
import type { SealedWallet } from "../wallets/wallet-store";
import type { Db } from "../db/client";
import type { FeeSchedule } from "../money/fees";
import type { Micros } from "../money/micros";
import type { MarketVersion } from "../polymarket/contracts";
import type { BookQuote, MarketOrderType, Side, TickSize } from "../polymarket/types";
import type { RejectReason, TradingMode } from "./results";

/** The live book from the streamer, falling back to REST; null when there is none. */
export interface BookSource {
  getBook(tokenId: string): Promise<BookQuote | null>;
}

/** The streamer keeps a token subscribed while some position needs it (it decides, per position). */
export interface SubscriptionSink {
  positionOpened(tokenId: string, positionId: number): Promise<void>;
  positionClosed(tokenId: string, positionId: number): Promise<void>;
}

/** What trading knows about the market of a token (from markets + market_tokens). */
export interface MarketInfo {
  marketId: string;
  conditionId: string;
  tokenId: string;
  outcome: string;
  tickSize: TickSize;
  negRisk: boolean;
  version: MarketVersion;
  /** Minimum size of RESTING orders; FOK/FAK market orders are not subject to it. */
  minOrderSize: Micros;
  /** active && !closed && acceptingOrders. */
  tradeable: boolean;
  /** The taker fee schedule (markets.fee_rate / fee_exponent; NO_FEE on fee-free markets). */
  fees: FeeSchedule;
}

/** The user as trading needs them. */
export interface TradingUser {
  id: number;
  mode: TradingMode;
  paperCash: Micros;
  paperDeposits: Micros;
  paperEpoch: number;
  slippageBps: number | undefined;
}

/** The user a venue is picked for; a live sale passes the wallet row it read with its claim. */
export interface VenueUser extends TradingUser {
  /** Read already (null: no wallet); undefined: the venue reads it when it signs. */
  sealedWallet?: SealedWallet | null;
}

/** One immediate order, fully priced, as handed to a venue. */
export interface VenueOrder {
  clientOrderId: string;
  userId: number;
  side: Side;
  market: MarketInfo;
  /** BUY: USDC to spend; SELL: shares to sell. Already at the venue's 2 decimals. */
  amount: Micros;
  worstPrice: Micros;
  orderType: MarketOrderType;
  /** The book the order was priced on; the paper venue fills against it. */
  book: BookQuote;
}

/** A venue's answer to one submission. */
export type VenueAnswer =
  | { kind: "filled"; shares: Micros; usdc: Micros; fees: Micros; complete: boolean; venueStatus: string }
  | { kind: "rejected"; reason: RejectReason; venueStatus?: string; code?: string; message?: string; retryAfterMs?: number }
  /** The venue may or may not have executed it (timeout, 5xx, "delayed"): reconcile, never re-send. */
  | { kind: "in_flight"; venueStatus: string; code?: string; message?: string };

/** A venue's view of an order recorded earlier (reconciliation). */
export type VenueLookup =
  | { kind: "filled"; shares: Micros; usdc: Micros; fees: Micros; complete: boolean; venueStatus: string }
  /** Nothing was and nothing will be executed. */
  | { kind: "not_filled"; venueStatus: string }
  /** Still undecided: ask again later. */
  | { kind: "in_flight"; venueStatus: string };

/** An order ready to send, with what must be recorded BEFORE sending it. */
export interface PreparedOrder {
  /** The venue's order id when known before sending (the EIP-712 order hash); null for paper. */
  venueOrderId: string | null;
  /** The signed order as sent (public data only), stored on the order row. */
  signedOrder: unknown;
  submit(): Promise<VenueAnswer>;
}

/** The order row fields a venue needs to look an order up again. */
export interface RecordedOrder {
  id: number;
  clientOrderId: string;
  userId: number;
  tokenId: string;
  side: Side;
  requestedAmount: Micros;
  worstPrice: Micros | null;
  venueOrderId: string | null;
  createdAt: Date;
  /** The market's taker fee schedule, for the fee of a fill found on the venue (absent: no fee). */
  feeSchedule?: FeeSchedule;
}

export interface Venue {
  readonly mode: TradingMode;
  /** Prices, builds and signs. May reject (e.g. no wallet) before anything is recorded. */
  prepare(order: VenueOrder): Promise<PreparedOrder | VenueAnswer & { kind: "rejected" }>;
  lookup(order: RecordedOrder, now: number): Promise<VenueLookup>;
  /** What a buy may spend at the venue now (live: pUSD balance within the allowance); null or absent: unknown. */
  cash?(): Promise<Micros | null>;
}

export interface TradingDeps {
  db: Db;
  books: BookSource;
  streamer: SubscriptionSink;
  venueFor(user: VenueUser): Venue | Promise<Venue>;
  now(): number;
  newId(): string;
  /** PAPER_START_BALANCE in micros; default 1000 USDC. */
  paperStartBalance?: Micros;
}
