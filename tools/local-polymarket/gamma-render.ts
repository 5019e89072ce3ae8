// Gamma JSON for simulated markets and events, with the real field shapes (JSON-encoded strings, numbers vs strings).
import { fromMicros, ONE, toMicros } from "./decimal";
import type { Exchange } from "./exchange";
import type { SimEvent, SimMarket, SimTag } from "./types";

/** Gamma prints these as JSON numbers; the decimal text becomes the same literal. */
const num = (micros: bigint): number => Number(fromMicros(micros));
const numText = (text: string): number => Number(text);
const scaled = (text: string, times: bigint): number => num(toMicros(text) * times);

const TAG_STAMP = "2024-11-07T23:07:25.512144Z";
/** Addresses Gamma prints on every market (market creation and UMA resolution accounts). */
const SUBMITTED_BY = "0x91430CaD2d3975766499717fA0D66A78D814E5c5";
const RESOLVED_BY = "0x2F5e3684cb1F318ec51b00Edba38d79Ac2c0aA9d";

export function tagJson(t: SimTag): Record<string, unknown> {
  return { id: t.id, label: t.label, slug: t.slug, forceShow: false, createdAt: TAG_STAMP, updatedAt: TAG_STAMP };
}

export interface RenderOptions {
  /** How long outcomePrices may lag the book (ms). */
  lagMs: number;
  includeTags: boolean;
}

function eventSummary(ex: Exchange, ev: SimEvent): Record<string, unknown> {
  const { markets: _markets, ...rest } = eventJson(ex, ev, { lagMs: 0, includeTags: false }, false);
  return rest;
}

export function marketJson(ex: Exchange, m: SimMarket, opts: RenderOptions): Record<string, unknown> {
  const display = ex.displayPrice(m, opts.lagMs);
  const book = ex.book(m).best(0);
  const last = ex.lastTrade({ market: m, outcome: 0 });
  const rt = ex.bookState({ market: m, outcome: 0 });
  const updatedAt = new Date(rt.timestamp).toISOString();
  const ev = ex.eventById(m.eventId);
  const out: Record<string, unknown> = {
    id: m.id,
    question: m.question,
    conditionId: m.conditionId,
    slug: m.slug,
    resolutionSource: "",
    endDate: m.endDate,
    liquidity: m.liquidity,
    startDate: m.startDate,
    image: m.image,
    icon: m.image,
    description: m.description,
    outcomes: JSON.stringify(m.outcomes).replace(/","/g, '", "'),
    outcomePrices: JSON.stringify([fromMicros(display), fromMicros(ONE - display)]).replace(/","/g, '", "'),
    volume: m.volume,
    active: true,
    closed: m.closed,
    marketMakerAddress: "",
    createdAt: m.createdAt,
    updatedAt,
    new: false,
    featured: false,
    submitted_by: SUBMITTED_BY,
    archived: false,
    resolvedBy: RESOLVED_BY,
    restricted: true,
    ...(m.groupItemTitle ? { groupItemTitle: m.groupItemTitle } : {}),
    groupItemThreshold: "0",
    questionID: m.questionId,
    enableOrderBook: true,
    orderPriceMinTickSize: numText(m.tickSize),
    orderMinSize: m.minOrderSize,
    volumeNum: numText(m.volume),
    liquidityNum: numText(m.liquidity),
    endDateIso: m.endDate.slice(0, 10),
    startDateIso: m.startDate.slice(0, 10),
    hasReviewedDates: true,
    volume24hr: numText(m.volume24hr),
    volume1wk: scaled(m.volume24hr, 7n),
    volume1mo: scaled(m.volume24hr, 30n),
    volume1yr: numText(m.volume),
    // Protocol V2 markets trade with positionIds; v1 markets with clobTokenIds (polymarket.md §0).
    ...(m.version === "v1" ? { clobTokenIds: JSON.stringify(m.tokenIds).replace(/","/g, '", "') } : {}),
    umaBond: "500",
    umaReward: "5",
    volume24hrClob: numText(m.volume24hr),
    volumeClob: numText(m.volume),
    liquidityClob: numText(m.liquidity),
    customLiveness: 0,
    acceptingOrders: m.acceptingOrders,
    negRisk: m.negRisk,
    ...(m.negRisk ? { negRiskMarketID: m.negRiskMarketId, negRiskRequestID: m.negRiskRequestId } : {}),
    ready: false,
    funded: false,
    acceptingOrdersTimestamp: m.createdAt.slice(0, 19) + "Z",
    cyom: false,
    competitive: 0.9,
    pagerDutyNotificationEnabled: false,
    approved: true,
    rewardsMinSize: 50,
    rewardsMaxSpread: 3.5,
    ...(book.bid !== undefined && book.ask !== undefined ? { spread: num(book.ask - book.bid) } : {}),
    ...(last ? { lastTradePrice: num(last.price) } : {}),
    ...(book.bid !== undefined ? { bestBid: num(book.bid) } : {}),
    ...(book.ask !== undefined ? { bestAsk: num(book.ask) } : {}),
    automaticallyActive: true,
    clearBookOnStart: false,
    manualActivation: false,
    negRiskOther: false,
    umaResolutionStatuses: m.closed ? '["resolved"]' : "[]",
    pendingDeployment: false,
    deploying: false,
    rfqEnabled: false,
    holdingRewardsEnabled: false,
    feesEnabled: m.fees !== undefined,
    ...(m.fees ? { feeSchedule: { exponent: m.fees.exponent, rate: Number(m.fees.rate), takerOnly: true, rebateRate: 0.2 } } : {}),
    requiresTranslation: false,
    version: m.version,
    ...(m.version === "v2" ? { positionIds: [...m.tokenIds] } : {}),
    ...(m.closedTime ? { closedTime: m.closedTime, umaResolutionStatus: "resolved" } : {}),
    category: m.category,
    ...(ev ? { events: [eventSummary(ex, ev)] } : {}),
  };
  if (opts.includeTags) out.tags = m.tags.map(tagJson);
  return out;
}

export function eventJson(ex: Exchange, ev: SimEvent, opts: RenderOptions, withMarkets = true): Record<string, unknown> {
  const markets = ev.marketIds.map((id) => ex.marketById(id)).filter((m): m is SimMarket => m !== undefined);
  const sum = (pick: (m: SimMarket) => string): number => num(markets.reduce((acc, m) => acc + toMicros(pick(m)), 0n));
  const closed = markets.length > 0 && markets.every((m) => m.closed);
  return {
    id: ev.id,
    ticker: ev.ticker,
    slug: ev.slug,
    title: ev.title,
    description: ev.description,
    resolutionSource: "",
    startDate: ev.startDate,
    creationDate: ev.createdAt,
    endDate: ev.endDate,
    image: ev.image,
    icon: ev.image,
    active: true,
    closed,
    archived: false,
    new: false,
    featured: false,
    restricted: true,
    liquidity: sum((m) => m.liquidity),
    volume: sum((m) => m.volume),
    openInterest: 0,
    createdAt: ev.createdAt,
    updatedAt: ev.createdAt,
    competitive: 0.9,
    volume24hr: sum((m) => m.volume24hr),
    enableOrderBook: true,
    liquidityClob: sum((m) => m.liquidity),
    negRisk: ev.negRisk,
    ...(ev.negRisk ? { negRiskMarketID: ev.negRiskMarketId } : {}),
    commentCount: 0,
    ...(withMarkets ? { markets: markets.map((m) => marketJson(ex, m, { ...opts, includeTags: false })) } : {}),
    tags: ev.tags.map(tagJson),
    cyom: false,
    showAllOutcomes: true,
    showMarketImages: true,
    enableNegRisk: ev.negRisk,
    negRiskAugmented: false,
    category: ev.category,
  };
}
