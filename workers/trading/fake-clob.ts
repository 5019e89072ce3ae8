// A small stand-in for the CLOB (tests only, until tools/local-polymarket lands): checks L1/L2 auth and the
// order's EIP-712 signature independently, matches FOK/FAK against a book, keeps orders and trades, injects faults.
import { type Address, hashTypedData, type Hex, isAddressEqual, recoverTypedDataAddress } from "viem";
import { l2Signature } from "../polymarket/auth-l2";
import { exchangeDomain, type MarketRef } from "../polymarket/contracts";
import { simulateMarketOrder } from "../polymarket/market-price";
import type { Level } from "../polymarket/types";
import { fromMicros, type Micros, ONE, toMicroInt } from "../money/micros";

const ORDER_TYPES = {
  Order: [
    { name: "salt", type: "uint256" }, { name: "maker", type: "address" }, { name: "signer", type: "address" },
    { name: "tokenId", type: "uint256" }, { name: "makerAmount", type: "uint256" }, { name: "takerAmount", type: "uint256" },
    { name: "side", type: "uint8" }, { name: "signatureType", type: "uint8" }, { name: "timestamp", type: "uint256" },
    { name: "metadata", type: "bytes32" }, { name: "builder", type: "bytes32" },
  ],
} as const;
const CLOB_AUTH = { ClobAuth: [{ name: "address", type: "address" }, { name: "timestamp", type: "string" }, { name: "nonce", type: "uint256" }, { name: "message", type: "string" }] } as const;

export type Fault =
  | { kind: "status"; status: number; message: string; retryAfterS?: number } // answered before processing
  | { kind: "hang_after_processing" } // the order executes, the answer never comes
  | { kind: "status_after_processing"; status: number };

interface WireOrder {
  salt: number; maker: Address; signer: Address; tokenId: string; makerAmount: string; takerAmount: string;
  side: "BUY" | "SELL"; signatureType: number; timestamp: string; expiration: string; metadata: Hex; builder: Hex; signature: Hex;
}

export interface Received {
  body: string;
  order: WireOrder;
  orderType: string;
  recoveredSigner: Address | null;
  verified: boolean;
  hash: string;
}

interface Trade {
  id: string; taker_order_id: string; asset_id: string; side: string; size: string; price: string; status: string;
  match_time: string; trader_side: "TAKER"; maker_orders: Array<{ order_id: string; matched_amount: string; price: string; asset_id: string }>;
}

export class FakeClob {
  readonly received: Received[] = [];
  readonly faults: Fault[] = [];
  /** Orders the venue knows; a test may hide them (GET /data/order answers null, as for many FAK orders). */
  readonly orders = new Map<string, { status: string; size_matched: string; original_size: string; price: string; side: string; asset_id: string }>();
  readonly trades: Trade[] = [];
  hideOrders = false;
  /** Every POST /order that arrived, processed or not. */
  posts = 0;
  private readonly keys = new Map<string, { key: string; secret: string; passphrase: string }>();
  private readonly books = new Map<string, Level[][]>();
  private tradeSeq = 0;

  constructor(private readonly markets: Map<string, MarketRef & { tick: Micros }>, private readonly chainId = 137) {}

  /** Best-first [price, size] decimal pairs; [bids, asks]. */
  setBook(tokenId: string, bids: Array<[string, string]>, asks: Array<[string, string]>): void {
    const lv = (xs: Array<[string, string]>) => xs.map(([p, s]) => ({ price: toMicroInt(p), size: toMicroInt(s) }));
    this.books.set(tokenId, [lv(bids), lv(asks)]);
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const path = url.pathname;
    const body = typeof init.body === "string" ? init.body : "";
    const headers = new Headers(init.headers);
    if (path === "/auth/derive-api-key" || path === "/auth/api-key") return this.l1(path, headers);
    const auth = await this.l2(headers, init.method ?? "GET", path, body);
    if (!auth) return json(401, { error: "Unauthorized/Invalid api key" });
    if (path === "/order" && init.method === "POST") return this.postOrder(body, auth, init.signal ?? undefined);
    if (path.startsWith("/data/order/")) {
      const o = this.hideOrders ? undefined : this.orders.get(decodeURIComponent(path.slice("/data/order/".length)));
      return o ? json(200, { id: path.split("/").pop(), ...o, owner: auth.key, associate_trades: [] }) : json(200, null);
    }
    if (path === "/data/trades") {
      const asset = url.searchParams.get("asset_id");
      return json(200, { data: this.trades.filter((t) => !asset || t.asset_id === asset), next_cursor: "LTE=" });
    }
    return json(404, { error: "not found" });
  };

  private async l1(path: string, h: Headers): Promise<Response> {
    const address = h.get("POLY_ADDRESS") as Address;
    const signer = await recoverTypedDataAddress({
      domain: { name: "ClobAuthDomain", version: "1", chainId: this.chainId },
      types: CLOB_AUTH,
      primaryType: "ClobAuth",
      message: { address, timestamp: h.get("POLY_TIMESTAMP") ?? "", nonce: BigInt(h.get("POLY_NONCE") ?? "0"), message: "This message attests that I control the given wallet" },
      signature: (h.get("POLY_SIGNATURE") ?? "0x") as Hex,
    }).catch(() => null);
    if (!signer || !isAddressEqual(signer, address)) return json(401, { error: "Invalid L1 Request headers" });
    const id = address.toLowerCase();
    if (path === "/auth/derive-api-key") {
      const k = this.keys.get(id);
      return k ? json(200, { apiKey: k.key, secret: k.secret, passphrase: k.passphrase }) : json(404, { error: "Could not derive api key!" });
    }
    const k = { key: crypto.randomUUID(), secret: btoa(id.slice(2, 34)), passphrase: `pp-${id.slice(2, 10)}` };
    this.keys.set(id, k);
    return json(200, { apiKey: k.key, secret: k.secret, passphrase: k.passphrase });
  }

  private async l2(h: Headers, method: string, path: string, body: string): Promise<{ key: string; address: string } | null> {
    const address = (h.get("POLY_ADDRESS") ?? "").toLowerCase();
    const k = this.keys.get(address);
    if (!k || h.get("POLY_API_KEY") !== k.key || h.get("POLY_PASSPHRASE") !== k.passphrase) return null;
    const expected = await l2Signature(k.secret, Number(h.get("POLY_TIMESTAMP")), method, path, body || undefined);
    return expected === h.get("POLY_SIGNATURE") ? { key: k.key, address } : null;
  }

  private async postOrder(body: string, auth: { key: string; address: string }, signal: AbortSignal | undefined): Promise<Response> {
    this.posts++;
    const fault = this.faults.shift();
    if (fault?.kind === "status") {
      return json(fault.status, { error: fault.message }, fault.retryAfterS !== undefined ? { "retry-after": String(fault.retryAfterS) } : {});
    }
    const { order, owner, orderType } = JSON.parse(body) as { order: WireOrder; owner: string; orderType: string };
    const market = this.markets.get(order.tokenId);
    if (!market) return json(400, { error: "Invalid token id" });
    const message = { ...order, salt: BigInt(order.salt), tokenId: BigInt(order.tokenId), makerAmount: BigInt(order.makerAmount), takerAmount: BigInt(order.takerAmount), side: order.side === "BUY" ? 0 : 1, timestamp: BigInt(order.timestamp) };
    const domain = exchangeDomain(market, this.chainId);
    const recovered = await recoverTypedDataAddress({ domain, types: ORDER_TYPES, primaryType: "Order", message, signature: order.signature }).catch(() => null);
    const hash = hashTypedData({ domain, types: ORDER_TYPES, primaryType: "Order", message });
    // A deposit wallet (type 3) signs through ERC-1271 on chain, which this fake cannot run: it only
    // checks the parties (maker == signer == the wallet) and that the API key's EOA sent it.
    const verified =
      order.signatureType === 3
        ? isAddressEqual(order.maker, order.signer) && owner === auth.key
        : recovered !== null && isAddressEqual(recovered, order.signer) && order.signer.toLowerCase() === auth.address && owner === auth.key;
    this.received.push({ body, order, orderType, recoveredSigner: recovered, verified, hash });
    if (!verified) return json(400, { error: "invalid signature" });
    const answer = this.match(order, orderType, hash, market.tick);
    if (fault?.kind === "hang_after_processing") {
      return new Promise<Response>((_resolve, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    }
    if (fault?.kind === "status_after_processing") return json(fault.status, { error: "Internal Server Error" });
    return answer;
  }

  private match(order: WireOrder, orderType: string, hash: string, tick: Micros): Response {
    const [bids, asks] = this.books.get(order.tokenId) ?? [[], []];
    const buy = order.side === "BUY";
    const maker = BigInt(order.makerAmount);
    const taker = BigInt(order.takerAmount);
    // The order's price from its amounts, on the tick (BUY: maker ÷ taker, SELL: taker ÷ maker).
    const raw = buy ? (maker * ONE) / taker : (taker * ONE) / maker;
    const limit = Number(((raw + tick / 2n) / tick) * tick);
    const sim = simulateMarketOrder({ side: order.side, levels: buy ? asks! : bids!, amount: maker, limitPrice: limit, orderType: orderType === "FOK" ? "FOK" : "FAK" });
    if (!sim.ok) {
      return orderType === "FOK"
        ? json(400, { error: "order couldn't be fully filled. FOK orders are fully filled or killed." })
        : json(400, { error: "no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found." });
    }
    const fills = this.consume(buy ? asks! : bids!, sim.filledShares);
    const id = `trade-${++this.tradeSeq}`;
    this.trades.push({
      id, taker_order_id: hash, asset_id: order.tokenId, side: order.side, size: fromMicros(sim.filledShares), price: fromMicros(BigInt(limit)),
      status: "MATCHED", match_time: (BigInt(Date.now()) / 1000n).toString(), trader_side: "TAKER",
      maker_orders: fills.map(([price, shares], i) => ({ order_id: `maker-${id}-${i}`, matched_amount: fromMicros(shares), price: fromMicros(price), asset_id: order.tokenId })),
    });
    const shares = fromMicros(sim.filledShares);
    const usdc = fromMicros(sim.filledUsdc);
    this.orders.set(hash, { status: "MATCHED", size_matched: shares, original_size: shares, price: fromMicros(BigInt(limit)), side: order.side, asset_id: order.tokenId });
    return json(200, { success: true, errorMsg: "", orderID: hash, status: "matched", makingAmount: buy ? usdc : shares, takingAmount: buy ? shares : usdc, transactionsHashes: [], tradeIDs: [id] });
  }

  /** Takes the filled shares off the book best-first; the [price, shares] taken per level (the makers). */
  private consume(levels: Level[], shares: Micros): Array<[Micros, Micros]> {
    const fills: Array<[Micros, Micros]> = [];
    let left = shares;
    while (left > 0n && levels.length > 0) {
      const top = levels[0]!;
      const take = BigInt(top.size) < left ? BigInt(top.size) : left;
      fills.push([BigInt(top.price), take]);
      top.size -= Number(take);
      left -= take;
      if (top.size === 0) levels.shift();
    }
    return fills;
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
