// Malformed market-channel frames for chaos tests: what a parser must count and drop without dying.

/** Roughly 1.2 MB: a valid `book` for an unknown asset with 30,000 levels. */
function hugeFrame(): string {
  const levels = Array.from({ length: 30_000 }, (_, i) => `{"price":"0.${String(1 + (i % 98)).padStart(2, "0")}","size":"${i}.25"}`);
  return `{"market":"0x${"ab".repeat(32)}","asset_id":"1","timestamp":"1","hash":"${"0".repeat(40)}","bids":[${levels.join(",")}],"asks":[],"event_type":"book","last_trade_price":""}`;
}

const KINDS: Array<() => string> = [
  () => '{"market":"0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1","price_changes":[{"asset_id":"5211431950124591551',
  () => JSON.stringify({ market: 42, price_changes: "none", timestamp: true, event_type: "price_change" }),
  () => JSON.stringify({ market: "0x00", asset_id: "1", timestamp: "1", event_type: "mystery_event", payload: { nested: [1, 2, 3] } }),
  hugeFrame,
  () => JSON.stringify([{ event_type: "book", asset_id: null, bids: [{ price: "abc", size: "-1" }], asks: {} }]),
  () => "null",
  () => "[]",
  () => '{"event_type":"last_trade_price","price":"0.5","size":"NaN","side":"SIDEWAYS"}',
];

/** The i-th garbage frame; the kinds cycle so that any count of 8 or more covers them all. */
export function garbageFrame(i: number): string {
  return KINDS[i % KINDS.length]!();
}
