// Drives the local Polymarket from tests (any runtime: plain fetch against its /_control API).

export interface PmMarket {
  id: string;
  conditionId: string;
  question: string;
  outcomes: [string, string];
  tokenIds: [string, string];
  negRisk: boolean;
  tickSize: string;
  version: "v1" | "v2";
  closed: boolean;
}

export interface PmConnection {
  id: number;
  assetIds: string[];
  stalled: boolean;
  openedAt: number;
  inbound: { at: number; text: string }[];
}

export function polymarketControl(controlUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`local polymarket ${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    markets: () => call<PmMarket[]>("GET", "/markets"),
    connections: () => call<PmConnection[]>("GET", "/connections"),
    book: (tokenId: string) => call<{ bids: { price: string; size: string }[]; asks: { price: string; size: string }[] }>("GET", `/book?token_id=${tokenId}`),
    setBook: (tokenId: string, bids: [string, string][], asks: [string, string][]) =>
      call("POST", "/book", { tokenId, bids: bids.map(([price, size]) => ({ price, size })), asks: asks.map(([price, size]) => ({ price, size })) }),
    move: (tokenId: string, bid: string, ask?: string) => call("POST", "/move", { tokenId, bid, ...(ask ? { ask } : {}) }),
    trade: (tokenId: string, price: string, size: string, side: "BUY" | "SELL") => call("POST", "/trade", { tokenId, price, size, side }),
    resolve: (marketId: string, winningOutcome: string | number) => call("POST", "/resolve", { marketId, winningOutcome }),
    emitRaw: (raw: string) => call("POST", "/emit", { raw }),
    drop: () => call<{ dropped: number }>("POST", "/drop", {}),
    /** PONG only, no data, for `ms` (or until unstall); on one connection when `connectionId` is given, else on all. */
    stall: (ms?: number, connectionId?: number) => call("POST", "/stall", { ...(ms === undefined ? {} : { ms }), ...(connectionId === undefined ? {} : { connectionId }) }),
    unstall: () => call("POST", "/unstall"),
    garbage: (count: number) => call("POST", "/garbage", { count }),
    burst: (perSecond: number, ms: number) => call("POST", "/burst", { perSecond, ms }),
    fault: (spec: { kind: string; route?: string; count?: number; ms?: number; durationMs?: number; status?: number; retryAfter?: number }) =>
      call<{ id: number }>("POST", "/fault", spec),
    clearFaults: () => call("POST", "/faults/clear", {}),
    orders: () => call<unknown[]>("GET", "/orders"),
    /** The relayer API key of an owner EOA (RELAYER_API_KEY / RELAYER_API_KEY_ADDRESS). */
    relayerKey: (address: string) => call<{ address: string; apiKey: string }>("POST", "/relayer-key", { address }),
    setBalance: (address: string, pusd: string) => call("POST", "/balance", { address, pusd }),
    /** An address's pUSD (and shares of `tokenId`) as the venue's ledger holds them. */
    balanceOf: (address: string, tokenId?: string) => call<{ pusd: string; shares?: string }>("POST", "/balance", { address, ...(tokenId ? { tokenId } : {}) }),
    /** Builder API credentials the relayer accepts (stable per label; calling again re-registers them after a reset). */
    builderKey: (label?: string) => call<{ key: string; secret: string; passphrase: string }>("POST", "/builder-key", label === undefined ? {} : { label }),
    relayerTransactions: () => call<{ id: string; type: string; from: string; state: string; calls?: unknown[] }[]>("GET", "/relayer-transactions"),
    /** Venue rules; `addNewAccountOwner` applies the 2026 new-account rule to one owner EOA. */
    rules: (patch?: { newAccounts?: boolean; addNewAccountOwner?: string }) => (patch ? call<Record<string, unknown>>("POST", "/rules", patch) : call<Record<string, unknown>>("GET", "/rules")),
    /** The next relayer transactions (of `owner` only, when given) fail, or stay pending. */
    relayerFault: (f: { mode: "fail" | "stuck"; count?: number; state?: string; ms?: number; errorMsg?: string; owner?: string }) => call("POST", "/relayer-fault", f),
    /** Fee-enabled market (rate null: fee-free again). */
    setFees: (marketId: string, rate: string | null, exponent = 1) => call("POST", "/fees", { marketId, rate, exponent }),
  };
}

/** Polls `probe` until it returns a truthy value (no fixed sleeps); fails with `what` after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
