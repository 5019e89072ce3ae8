// Frames we send on the market channel (polymarket.md §1.1–1.3), built in one place.

/** Keep-alive text frame; the server answers the text `PONG`. */
export const PING = "PING";

/**
 * The first frame on a connection: the whole wanted set. `custom_feature_enabled` turns on
 * best_bid_ask, new_market and market_resolved. Note the plural `assets_ids`.
 */
export function initialSubscribe(assetIds: readonly string[]): string {
  return JSON.stringify({ assets_ids: assetIds, type: "market", custom_feature_enabled: true });
}

/** Adds assets to an open connection (every later subscribe uses `operation`, not `type`). */
export function subscribeMore(assetIds: readonly string[]): string {
  return JSON.stringify({ assets_ids: assetIds, operation: "subscribe", custom_feature_enabled: true });
}

/** Removes assets from an open connection. */
export function unsubscribe(assetIds: readonly string[]): string {
  return JSON.stringify({ assets_ids: assetIds, operation: "unsubscribe" });
}
