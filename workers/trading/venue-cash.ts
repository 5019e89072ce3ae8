// A live user's pUSD at the venue (GET /balance-allowance): cached briefly per user in this isolate,
// forgotten after every live trade so the next read is fresh.
import { log } from "../lib/log";
import type { Micros } from "../money/micros";
import type { ClobClient } from "../polymarket/clob-client";
import { isPolymarketError } from "../polymarket/errors";
import { ensureApiCreds } from "../wallets/api-creds";
import { type WalletDeps, withSigner } from "../wallets/wallet-store";

/** A balance read this recently is shown and checked against without asking again. */
export const CASH_TTL_MS = 15_000;

export interface VenueCash {
  /** pUSD the wallet holds, as the CLOB sees it. */
  balance: Micros;
  /** The smallest pUSD allowance to the exchanges the CLOB lists (null: it lists none). */
  allowance: Micros | null;
  at: number;
}

export interface VenueCashOptions {
  clob: Pick<ClobClient, "getBalanceAllowance" | "getOrCreateApiKey">;
  wallets: WalletDeps;
  now(): number;
}

const cache = new Map<number, VenueCash>();

/** After a live trade (or a funding) the cached balance is stale. */
export function forgetCash(userId: number): void {
  cache.delete(userId);
}

/**
 * The user's pUSD at the venue; null when they have no wallet or the venue cannot be asked now
 * (the caller then does without: the venue itself still refuses an order it cannot pay).
 */
export async function venueCash(o: VenueCashOptions, userId: number): Promise<VenueCash | null> {
  const now = o.now();
  const hit = cache.get(userId);
  if (hit && now - hit.at < CASH_TTL_MS) return hit;
  try {
    const got = await withSigner(o.wallets, userId, async (s) => {
      if (!s) return null;
      const creds = await ensureApiCreds(o.wallets, s, o.clob);
      return o.clob.getBalanceAllowance({ address: s.address, creds }, { assetType: "COLLATERAL", signatureType: s.signatureType });
    });
    if (!got) return null;
    const spenders = Object.values(got.allowances);
    const cash: VenueCash = { balance: got.balance, allowance: spenders.length ? spenders.reduce((a, b) => (b < a ? b : a)) : null, at: now };
    cache.set(userId, cash);
    return cash;
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    log.warn("trading_venue_cash_failed", { user_id: userId, code: e.code, status: e.status });
    return null;
  }
}

/** What a buy may spend: the balance, or less when the allowance is lower. */
export const spendable = (c: VenueCash): Micros => (c.allowance !== null && c.allowance < c.balance ? c.allowance : c.balance);
