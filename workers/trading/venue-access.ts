// Whether Polymarket would take a live BUY from here: the region this Worker trades from (geoblock,
// placement.ts) and the account's closed-only mode (GET /auth/ban-status/closed-only). Asked before
// anything is signed; never worked around. Sells and exits are not checked here: close-only permits them.
import { log } from "../lib/log";
import type { ClobClient, L2Auth } from "../polymarket/clob-client";
import { isPolymarketError } from "../polymarket/errors";
import type { TradingAccess } from "../placement";
import type { VenueAnswer } from "./ports";

/** An account's closed-only mode is asked again after this long. */
export const CLOSED_ONLY_TTL_MS = 5 * 60_000;

export interface AccessOptions {
  clob: Pick<ClobClient, "getClosedOnlyMode">;
  now(): number;
  /** Where this Worker trades from, as Polymarket's geoblock endpoint sees it (placementInfo); absent: not asked. */
  access?: () => Promise<TradingAccess>;
}

const closedOnly = new Map<string, { value: boolean; at: number }>();

async function accountClosedOnly(o: AccessOptions, auth: L2Auth): Promise<boolean> {
  const key = auth.creds.key;
  const hit = closedOnly.get(key);
  if (hit && o.now() - hit.at < CLOSED_ONLY_TTL_MS) return hit.value;
  try {
    const value = await o.clob.getClosedOnlyMode(auth);
    closedOnly.set(key, { value, at: o.now() });
    return value;
  } catch (e) {
    if (!isPolymarketError(e)) throw e;
    // Unknown: the venue still refuses an order it would not take; not asking is not a refusal.
    log.warn("trading_closed_only_check_failed", { code: e.code, status: e.status });
    return false;
  }
}

type Refusal = VenueAnswer & { kind: "rejected" };

/** A refusal when Polymarket would not take a live BUY from this account here; null when it would (or cannot say). */
export async function buyRefusal(o: AccessOptions, auth: L2Auth): Promise<Refusal | null> {
  const region = o.access ? await o.access().catch((): TradingAccess => "unknown") : "unknown";
  if (region === "blocked") return { kind: "rejected", reason: "region_blocked" };
  if (region === "close_only") return { kind: "rejected", reason: "close_only" };
  if (await accountClosedOnly(o, auth)) return { kind: "rejected", reason: "close_only" };
  return null;
}
