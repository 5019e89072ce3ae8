// Builds TradingDeps for the Worker and the streamer: paper for paper users, Polymarket for live ones.
// Each composition root (the bot's deps, the cron, streamer-wiring.ts) builds one CLOB client and passes it.
import type { Db } from "../db/client";
import type { Settings } from "../env";
import type { ClobClient } from "../polymarket/clob-client";
import { type Keyring, loadKeyring } from "../wallets/envelope";
import { placementInfo } from "../placement";
import { venueFor } from "./live-venue";
import { paperStartFromSetting } from "./paper-account";
import type { BookSource, SubscriptionSink, TradingDeps } from "./ports";

/** A POST /order slower than this is in flight (reconciled, never re-sent). */
export const LIVE_POST_TIMEOUT_MS = 10_000;

const keyrings = new Map<string, Promise<Keyring>>();

/** The wallet keyring for these settings, imported once per isolate. */
export function keyringFor(settings: Settings): Promise<Keyring> {
  const id = `${settings.WALLET_ENCRYPTION_KEY}|${settings.WALLET_ENCRYPTION_KEY_PREVIOUS ?? ""}`;
  let ring = keyrings.get(id);
  if (!ring) {
    ring = loadKeyring(settings.WALLET_ENCRYPTION_KEY, settings.WALLET_ENCRYPTION_KEY_PREVIOUS);
    ring.catch(() => keyrings.delete(id));
    keyrings.set(id, ring);
  }
  return ring;
}

export interface TradingWiring {
  settings: Settings;
  db: Db;
  /** The composition root's one CLOB client. */
  clob: ClobClient;
  books: BookSource;
  streamer: SubscriptionSink;
  now?: () => number;
}

export async function buildTradingDeps(w: TradingWiring): Promise<TradingDeps> {
  const now = w.now ?? Date.now;
  const keyring = await keyringFor(w.settings);
  return {
    db: w.db,
    books: w.books,
    streamer: w.streamer,
    venueFor: venueFor({
      clob: w.clob, wallets: { db: w.db, keyring }, now, rand01: Math.random, postTimeoutMs: LIVE_POST_TIMEOUT_MS,
      access: () => placementInfo(w.settings).then((p) => p.polymarket.access),
    }),
    now,
    newId: () => crypto.randomUUID(),
    paperStartBalance: paperStartFromSetting(w.settings.PAPER_START_BALANCE),
  };
}
