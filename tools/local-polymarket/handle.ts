// The programmatic face of the local Polymarket (LocalPolymarket): what Node tests and scripts call.
import { tradeJson, orderJson } from "./clob-trading";
import { fromMicros, toMicros } from "./decimal";
import type { FaultRule, FaultSpec } from "./faults";
import type { FeeSchedule } from "./fees";
import type { RelayerFault, RelayerTx } from "./relayer";
import { applyRules, type RulesPatch, type VenueRules } from "./rules";
import type { ReceivedOrder } from "./ledger";
import { movePrice, resolve, setTickSize, trade, type MoveInput } from "./moves";
import type { PathHandle, ScenarioKind, ScenarioOptions } from "./scenario";
import type { LevelInput, MarketInfo, Side } from "./types";
import type { Venue } from "./venue";
import type { ConnectionInfo } from "./ws-hub";

export interface LocalPolymarketFaults {
  /** Adds an HTTP fault switch (see FaultSpec); returns the armed rule (its id clears it). */
  add(spec: FaultSpec): FaultRule;
  clear(id?: number): void;
  list(): FaultRule[];
  /** WebSocket: closes every connection now (abruptly unless a close code is given). */
  drop(code?: number): number;
  /** WebSocket: PONG still answers but no data flows, for `ms` or until unstall(); optionally one connection. */
  stall(ms?: number, connectionId?: number): void;
  unstall(): void;
  /** WebSocket: sends `count` malformed frames to every connection. */
  garbage(count: number): void;
  /** WebSocket: `perSecond` price_change frames across subscribed markets for `ms`. */
  burst(perSecond: number, ms: number): void;
}

export interface LocalPolymarket {
  port: number;
  /** http://127.0.0.1:P */
  httpUrl: string;
  /** http://127.0.0.1:P/gamma */
  gammaUrl: string;
  /** http://127.0.0.1:P/clob */
  clobUrl: string;
  /** ws://127.0.0.1:P/ws/market */
  wsUrl: string;
  /** http://127.0.0.1:P/relayer (relayer-v2), /rpc (Polygon JSON-RPC), /data (Data API), /api/geoblock. */
  relayerUrl: string;
  rpcUrl: string;
  dataUrl: string;
  geoblockUrl: string;
  urls(): { httpUrl: string; gammaUrl: string; clobUrl: string; wsUrl: string; controlUrl: string; relayerUrl: string; rpcUrl: string; dataUrl: string; geoblockUrl: string };
  markets(): MarketInfo[];
  /** CLOB REST /book of a token (what GET /clob/book answers). */
  book(tokenId: string): Record<string, unknown>;
  /** Replaces the book (levels in this token's terms, decimal strings) and broadcasts snapshots. */
  setBook(tokenId: string, book: { bids: LevelInput[]; asks: LevelInput[] }): void;
  /** Reshapes the top of the book around a new best bid; price_change for both outcomes. */
  movePrice(tokenId: string, move: MoveInput): void;
  /** A third party's trade: takes up to `size` at `price` or better; last_trade_price and post-trade books. */
  trade(tokenId: string, price: string, size: string, side: Side): { shares: string; usdc: string; transactionHash: string };
  /** Resolves a market (Gamma id, condition id or token id) to an outcome name, index or token id. */
  resolve(marketId: string, winningOutcome: string | number): void;
  setTickSize(marketId: string, tickSize: string): void;
  /** Sends a frame, an array of frames, or raw text to every open connection. */
  emit(payload: unknown): void;
  connections(): ConnectionInfo[];
  /** Every order request received (one entry per leg), oldest first. */
  orders(): ReceivedOrder[];
  lastOrder(): ReceivedOrder | undefined;
  /** The venue's order record (GET /data/order/{id} shape), or undefined. */
  order(orderId: string): Record<string, unknown> | undefined;
  trades(): Array<Record<string, unknown>>;
  /** Registers a deployed deposit wallet (signature type 3) of `owner` (derived as the factory does unless given; `legacy`: the UUPS one); returns its address. */
  depositWallet(owner: string, wallet?: string, legacy?: boolean): string;
  /** The relayer API key of an owner EOA (headers RELAYER_API_KEY + RELAYER_API_KEY_ADDRESS). */
  relayerApiKey(owner: string): string;
  /** Builder API credentials the relayer accepts (POLY_BUILDER_* headers, HMAC like CLOB L2); stable per label. */
  builderApiKey(label?: string): { key: string; secret: string; passphrase: string };
  /** Relayer transactions received, oldest first. */
  relayerTransactions(): RelayerTx[];
  /** The next relayer transactions fail or stay pending instead of confirming. */
  relayerFault(fault: RelayerFault): void;
  /** Makes a market fee-enabled (or fee-free with null): taker fee shares × rate × (p(1−p))^exponent. */
  setFees(marketId: string, fees: FeeSchedule | null): void;
  /** The venue rules: new-account rule, deployed-wallet rule, region; a patch changes them. */
  rules(patch?: RulesPatch): VenueRules;
  /** pUSD allowance of `owner` to `spender` on the simulated chain (base units). */
  allowance(owner: string, spender: string): bigint;
  /** Sets pUSD and/or a token's share balance of an address (decimal strings). */
  setBalance(address: string, balances: { pusd?: string; tokenId?: string; shares?: string }): void;
  balance(address: string, tokenId?: string): { pusd: string; shares?: string };
  faults: LocalPolymarketFaults;
  scenario: {
    readonly current: ScenarioKind;
    start(kind: ScenarioKind, opts?: ScenarioOptions): void;
    stop(): void;
    path(tokenId: string, prices: string[], everyMs: number): PathHandle;
  };
  /** Back to the seeded state: books, orders, keys, balances, faults, scenario. Sockets stay open. */
  reset(): void;
  stop(): Promise<void>;
}

export interface HandleDeps {
  port: number;
  venue: Venue;
  stop: () => Promise<void>;
}

export function makeHandle({ port, venue: d, stop }: HandleDeps): LocalPolymarket {
  const httpUrl = `http://127.0.0.1:${port}`;
  const urls = {
    httpUrl,
    gammaUrl: `${httpUrl}/gamma`,
    clobUrl: `${httpUrl}/clob`,
    wsUrl: `ws://127.0.0.1:${port}/ws/market`,
    controlUrl: `${httpUrl}/_control`,
    relayerUrl: `${httpUrl}/relayer`,
    rpcUrl: `${httpUrl}/rpc`,
    dataUrl: `${httpUrl}/data`,
    geoblockUrl: `${httpUrl}/api/geoblock`,
  };
  return {
    port,
    ...urls,
    urls: () => ({ ...urls }),
    markets: () =>
      d.exchange().markets.map((m) => ({
        id: m.id,
        conditionId: m.conditionId,
        question: m.question,
        slug: m.slug,
        eventId: m.eventId,
        outcomes: [...m.outcomes],
        tokenIds: [...m.tokenIds],
        negRisk: m.negRisk,
        tickSize: m.tickSize,
        minOrderSize: m.minOrderSize,
        version: m.version,
        closed: m.closed,
        ...(m.fees ? { fees: { ...m.fees } } : {}),
      })),
    book: (tokenId) => d.exchange().restBook(d.exchange().requireToken(tokenId)),
    setBook: (tokenId, book) => d.exchange().setBook(tokenId, book),
    movePrice: (tokenId, move) => movePrice(d.exchange(), tokenId, move),
    trade: (tokenId, price, size, side) => {
      const t = trade(d.exchange(), tokenId, price, size, side);
      return { shares: fromMicros(t.shares), usdc: fromMicros(t.usdc), transactionHash: t.transactionHash };
    },
    resolve: (marketId, winning) => void resolve(d.exchange(), marketId, winning),
    setTickSize: (marketId, tick) => setTickSize(d.exchange(), marketId, tick),
    emit: (payload) => d.hub.emit(payload),
    connections: () => d.hub.connections(),
    orders: () => [...d.ledger.received],
    lastOrder: () => d.ledger.received.at(-1),
    order: (id) => {
      const o = d.ledger.orders.get(id);
      return o ? orderJson(o) : undefined;
    },
    trades: () => d.ledger.trades.map((t) => ({ ...tradeJson(t), fee: fromMicros(t.fee) })),
    depositWallet: (owner, wallet, legacy) => d.wallets.register(owner, wallet, legacy),
    relayerApiKey: (owner) => d.relayer.auth.apiKey(owner),
    builderApiKey: (label) => d.relayer.auth.builderKey(label),
    relayerTransactions: () => [...d.relayer.txs.values()].map((t) => ({ ...t, history: [...t.history], calls: [...t.calls] })),
    relayerFault: (f) => d.relayer.addFault(f),
    setFees: (marketId, fees) => {
      const ex = d.exchange();
      const m = ex.marketById(marketId) ?? ex.marketByCondition(marketId) ?? ex.token(marketId)?.market;
      if (!m) throw new RangeError(`unknown market ${marketId}`);
      if (fees) m.fees = { rate: fees.rate, exponent: fees.exponent };
      else delete m.fees;
    },
    rules: (patch) => ({ ...(patch ? applyRules(d.rules, patch) : d.rules), region: { ...d.rules.region } }),
    allowance: (owner, spender) => d.chain.allowance(owner, spender),
    setBalance: (address, b) => {
      if (b.pusd !== undefined) d.ledger.setBalance(address, toMicros(b.pusd));
      if (b.tokenId !== undefined && b.shares !== undefined) d.ledger.setShares(address, b.tokenId, toMicros(b.shares));
    },
    balance: (address, tokenId) => ({
      pusd: fromMicros(d.ledger.balance(address)),
      ...(tokenId ? { shares: fromMicros(d.ledger.shareBalance(address, tokenId)) } : {}),
    }),
    faults: {
      add: (spec) => d.faults.add(spec),
      clear: (id) => d.faults.clear(id),
      list: () => d.faults.list(),
      drop: (code) => d.hub.drop(code),
      stall: (ms, id) => d.hub.stall(ms, id),
      unstall: () => d.hub.unstall(),
      garbage: (count) => d.hub.garbage(count),
      burst: (perSecond, ms) => d.scenarios.burst(perSecond, ms),
    },
    scenario: {
      get current() {
        return d.scenarios.current;
      },
      start: (kind, opts) => d.scenarios.start(kind, opts),
      stop: () => d.scenarios.stop(),
      path: (tokenId, prices, everyMs) => d.scenarios.path(tokenId, prices, everyMs),
    },
    reset: () => d.reset(),
    stop,
  };
}
