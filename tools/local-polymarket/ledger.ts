// The local venue's books of account: balances, the orders it accepted, its trades, and every order request received.
import type { Outcome } from "./book";
import { toMicros } from "./decimal";
import type { Side } from "./types";

export interface Balances {
  /** Default pUSD of an address never set explicitly (decimal string). */
  pusd: string;
  /** Default share balance per token of an address never set explicitly (decimal string). */
  shares: string;
}

export type VenueOrderStatus = "LIVE" | "MATCHED" | "CANCELED";

export interface VenueOrder {
  id: string;
  status: VenueOrderStatus;
  owner: string;
  makerAddress: string;
  market: string;
  assetId: string;
  outcome: Outcome;
  outcomeName: string;
  side: Side;
  /** Shares the order is for (BUY: takerAmount, SELL: makerAmount). */
  originalSize: bigint;
  sizeMatched: bigint;
  /** Limit price on the tick. */
  price: bigint;
  /** Limit as the exact ratio of the signed amounts (BUY: maker/taker, SELL: taker/maker). */
  makerAmount: bigint;
  takerAmount: bigint;
  orderType: string;
  expiration: string;
  createdAt: number;
  tradeIds: string[];
}

export interface VenueTrade {
  id: string;
  takerOrderId: string;
  market: string;
  assetId: string;
  side: Side;
  size: bigint;
  price: bigint;
  outcome: string;
  owner: string;
  makerAddress: string;
  /** Taker fee of this fill (micros; 0 on fee-free markets and for makers). */
  fee: bigint;
  /** The market's fee rate in basis points, as trade records print it. */
  feeRateBps: string;
  matchTime: number;
  transactionHash: string;
  makerOrders: Array<{ orderId: string; owner: string; makerAddress: string; matchedAmount: bigint; price: bigint; outcome: string; side: Side }>;
}

/** One order as received over HTTP (one entry per leg of POST /orders), for tests to inspect. */
export interface ReceivedOrder {
  seq: number;
  /** When the request carrying it arrived, before authentication, parsing or matching. */
  receivedAt: number;
  route: "/order" | "/orders";
  leg: number;
  rawBody: string;
  headers: Record<string, string>;
  /** The leg as parsed, when it parsed. */
  order?: unknown;
  orderId?: string;
  /** API key owner check passed (HMAC headers valid). */
  authOk: boolean;
  /** Address that signed the order, when the signature verified. */
  signer?: string;
  signatureValid?: boolean;
  /** Why a deposit-wallet signature did not verify (which other wrapping arrived). */
  diagnosis?: string;
  /** "accepted" when the venue took it (matched or resting), else the error text. */
  outcome: string;
  httpStatus: number;
  /** What was (or will be) answered for this leg. */
  answer: unknown;
  /** False while an accept-then-hang fault holds the answer back (or forever). */
  answered: boolean;
}

export class Ledger {
  private readonly pusd = new Map<string, bigint>();
  private readonly shares = new Map<string, bigint>();
  readonly orders = new Map<string, VenueOrder>();
  readonly trades: VenueTrade[] = [];
  readonly received: ReceivedOrder[] = [];

  /** `isFresh`: accounts created on the venue (relayer-deployed wallets) start at zero, not at the defaults. */
  constructor(
    private readonly defaults: Balances,
    private readonly isFresh: (address: string) => boolean = () => false,
  ) {}

  balance(address: string): bigint {
    return this.pusd.get(address.toLowerCase()) ?? (this.isFresh(address) ? 0n : toMicros(this.defaults.pusd));
  }

  shareBalance(address: string, tokenId: string): bigint {
    return this.shares.get(`${address.toLowerCase()}:${tokenId}`) ?? (this.isFresh(address) ? 0n : toMicros(this.defaults.shares));
  }

  /** Tokens whose share balance of `address` was ever set (fills, control API): what a positions list shows. */
  heldTokens(address: string): string[] {
    const prefix = `${address.toLowerCase()}:`;
    return [...this.shares.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  setBalance(address: string, pusd: bigint): void {
    this.pusd.set(address.toLowerCase(), pusd);
  }

  setShares(address: string, tokenId: string, shares: bigint): void {
    this.shares.set(`${address.toLowerCase()}:${tokenId}`, shares);
  }

  /** Settles a fill: BUY pays pUSD (+ fee) and receives shares, SELL the reverse (proceeds − fee). */
  settle(address: string, tokenId: string, side: Side, shares: bigint, usdc: bigint, fee = 0n): void {
    const sign = side === "BUY" ? 1n : -1n;
    this.setBalance(address, this.balance(address) - sign * usdc - fee);
    this.setShares(address, tokenId, this.shareBalance(address, tokenId) + sign * shares);
  }

  clear(): void {
    this.pusd.clear();
    this.shares.clear();
    this.orders.clear();
    this.trades.length = 0;
    this.received.length = 0;
  }
}
