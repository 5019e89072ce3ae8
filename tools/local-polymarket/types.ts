// Shared vocabulary of the local Polymarket: simulated markets, events and the public handle's shapes.
import type { FeeSchedule } from "./fees";

export type Side = "BUY" | "SELL";

export interface SimTag {
  id: string;
  label: string;
  slug: string;
}

/** One binary CLOB market (a Yes/No market, or one leg of a neg-risk event). */
export interface SimMarket {
  /** Gamma market id (decimal string). */
  id: string;
  conditionId: string;
  questionId: string;
  question: string;
  slug: string;
  description: string;
  /** Index-aligned with tokenIds; index 0 is the "first" outcome (Yes, Up, the first team). */
  outcomes: [string, string];
  /** 77–78 digit decimal token ids (for version "v2" markets these are the position ids). */
  tokenIds: [string, string];
  negRisk: boolean;
  negRiskMarketId: string;
  negRiskRequestId: string;
  /** Tick size as a decimal string ("0.01", "0.001", "0.0001"). */
  tickSize: string;
  tick: bigint;
  minOrderSize: number;
  /** Gamma `version`: "v1" trades via clobTokenIds (exchange V2), "v2" via positionIds (ExchangeV3). */
  version: "v1" | "v2";
  eventId: string;
  groupItemTitle: string;
  category: string;
  tags: SimTag[];
  startDate: string;
  endDate: string;
  createdAt: string;
  /** Decimal strings; Gamma prints some as strings and some as numbers. */
  volume: string;
  volume24hr: string;
  liquidity: string;
  image: string;
  /** Price of outcome 0 the seed starts the book around (micros, on the tick). */
  startPrice: bigint;
  closed: boolean;
  acceptingOrders: boolean;
  /** Taker fee schedule of a fee-enabled market (absent: no fee). Set through setFees / the control API. */
  fees?: FeeSchedule;
  /** Set by resolve(): index of the winning outcome. */
  winner?: 0 | 1;
  closedTime?: string;
}

export interface SimEvent {
  id: string;
  ticker: string;
  slug: string;
  title: string;
  description: string;
  negRisk: boolean;
  negRiskMarketId: string;
  category: string;
  tags: SimTag[];
  startDate: string;
  endDate: string;
  createdAt: string;
  image: string;
  marketIds: string[];
}

/** What markets() returns: enough for a test to trade and subscribe. */
export interface MarketInfo {
  id: string;
  conditionId: string;
  question: string;
  slug: string;
  eventId: string;
  outcomes: [string, string];
  tokenIds: [string, string];
  negRisk: boolean;
  tickSize: string;
  minOrderSize: number;
  version: "v1" | "v2";
  closed: boolean;
  fees?: FeeSchedule;
}

export interface LevelInput {
  price: string;
  size: string;
}
