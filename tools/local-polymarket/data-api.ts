// The local Data API (data-api.polymarket.com): GET /positions of an account, from the venue's ledger and trades.
import { isAddress } from "viem";
import type { Outcome } from "./book";
import { fromMicros, ONE } from "./decimal";
import type { Exchange } from "./exchange";
import { fail, json, Router } from "./http-util";
import type { Ledger } from "./ledger";

const num = (micros: bigint): number => Number(fromMicros(micros));

/** One v1 position row (POLYDOCS data-openapi; polymarket-2026-accounts.md §4.3). */
function positionRow(ex: Exchange, ledger: Ledger, user: string, tokenId: string, size: bigint): Record<string, unknown> | undefined {
  const ref = ex.token(tokenId);
  if (!ref) return undefined;
  const m = ref.market;
  const o = ref.outcome;
  const other = (1 - o) as Outcome;
  // Cost basis from the account's own BUY fills of this token (fees excluded, as avgPrice is a price).
  const buys = ledger.trades.filter((t) => t.assetId === tokenId && t.side === "BUY" && t.makerAddress.toLowerCase() === user.toLowerCase());
  const bought = buys.reduce((a, t) => a + t.size, 0n);
  const cost = buys.reduce((a, t) => a + (t.size * t.price) / ONE, 0n);
  const avg = bought > 0n ? (cost * ONE) / bought : 0n;
  const display = ex.displayPrice(m);
  const cur = m.winner !== undefined ? (m.winner === o ? ONE : 0n) : o === 0 ? display : ONE - display;
  const initial = (size * avg) / ONE;
  const current = (size * cur) / ONE;
  return {
    proxyWallet: user.toLowerCase(),
    asset: tokenId,
    conditionId: m.conditionId,
    size: num(size),
    avgPrice: num(avg),
    initialValue: num(initial),
    currentValue: num(current),
    cashPnl: num(current - initial),
    percentPnl: initial > 0n ? Number(((current - initial) * 10_000n) / initial) / 100 : 0,
    totalBought: num(bought),
    realizedPnl: 0,
    percentRealizedPnl: 0,
    curPrice: num(cur),
    redeemable: m.winner !== undefined,
    mergeable: false,
    title: m.question,
    slug: m.slug,
    icon: m.image,
    eventSlug: ex.eventById(m.eventId)?.slug ?? "",
    outcome: m.outcomes[o],
    outcomeIndex: o,
    oppositeOutcome: m.outcomes[other],
    oppositeAsset: m.tokenIds[other],
    endDate: m.endDate.slice(0, 10),
    negativeRisk: m.negRisk,
  };
}

export function dataApiRouter(exchange: () => Exchange, ledger: Ledger): Router {
  return new Router().on("GET", "/positions", (req) => {
    const q = req.query;
    const user = q.get("user") ?? "";
    if (!isAddress(user, { strict: false })) return fail(400, "user is required");
    const limit = Math.min(Number(q.get("limit") ?? 100) || 100, 500);
    const offset = Math.max(Number(q.get("offset") ?? 0) || 0, 0);
    const threshold = Number(q.get("sizeThreshold") ?? 1);
    const markets = new Set((q.get("market") ?? "").split(",").filter(Boolean).map((c) => c.toLowerCase()));
    const redeemable = q.get("redeemable");
    const ex = exchange();
    const rows = ledger
      .heldTokens(user)
      .map((t) => positionRow(ex, ledger, user, t, ledger.shareBalance(user, t)))
      .filter((r): r is Record<string, unknown> => r !== undefined && (r.size as number) >= threshold && (r.size as number) > 0)
      .filter((r) => markets.size === 0 || markets.has(String(r.conditionId).toLowerCase()))
      .filter((r) => redeemable === null || String(r.redeemable) === redeemable);
    return json(200, rows.slice(offset, offset + limit));
  });
}
