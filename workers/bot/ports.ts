// The bot's seams to the rest of the system (trading, triggers, wallets, the streamer, Gamma), built
// once per request from the Worker's env and settings; a database handle is passed per call.
import type { Db } from "../db/client";
import type { Settings } from "../env";
import { clobClientFor } from "../polymarket/clob-client";
import { GammaClient } from "../polymarket/gamma-client";
import type { BookQuote } from "../polymarket/types";
import { streamerBookSource, streamerStub, streamerSubscriptions, streamerTriggerMirror } from "../streamer-client";
import { buildTradingDeps, keyringFor } from "../trading/deps";
import type { BookSource, TradingDeps } from "../trading/ports";
import { type VenueCash, venueCash } from "../trading/venue-cash";
import type { TriggerDeps } from "../triggers/service";
import type { OnboardingPorts } from "../wallets/onboarding";
import { PolygonRpc } from "../polymarket/polygon-rpc";
import { RelayerClient } from "../polymarket/relayer-client";
import type { WalletDeps } from "../wallets/wallet-store";
import { pinPepper } from "../security/pin";
import type { PinKeys } from "../security/pin-store";

/** A relayer transaction is polled this often, this many times per run (30 s; Polygon confirms in a few seconds), then left pending for the next run. */
const RELAYER_WAIT = { pollMs: 500, maxPolls: 60 };

/** Gamma lookups for pasted links must not hold the webhook answer for long. */
const GAMMA_TIMEOUT_MS = 4_000;

export interface BotPorts {
  trading(db: Db): Promise<TradingDeps>;
  triggers(db: Db): TriggerDeps;
  wallets(db: Db): Promise<WalletDeps>;
  /** The live book (streamer first, then REST), for previews. */
  books: BookSource;
  /** The streamer's live book only (fast; null when it has none), for cards. */
  liveQuote(tokenId: string): Promise<(BookQuote & { receivedAt?: number }) | null>;
  gamma(): GammaClient;
  newId(): string;
  /** Asks the streamer to wake at `at` and run due deletions and security actions (the durable record is in Postgres). */
  scheduleSweep(at: number): Promise<void>;
  /** The PIN peppers (current key first, then the previous ones). */
  pinKeys(): Promise<PinKeys>;
  /** The user's pUSD balance and allowance at Polymarket (cached briefly); null: no wallet or not available now. */
  venueCash(db: Db, userId: number): Promise<VenueCash | null>;
  /** The relayer and CLOB calls deposit-wallet onboarding makes; null when no builder credentials are set (nothing can be deployed). */
  onboarding(): OnboardingPorts | null;
}

const pinKeyCache = new Map<string, Promise<PinKeys>>();

/** The PIN peppers for these settings, derived once per isolate. */
export function pinKeysFor(settings: Settings): Promise<PinKeys> {
  const keys = [settings.WALLET_ENCRYPTION_KEY, ...(settings.WALLET_ENCRYPTION_KEY_PREVIOUS ?? "").split(",").map((k) => k.trim()).filter(Boolean)];
  const id = keys.join("|");
  let got = pinKeyCache.get(id);
  if (!got) {
    got = Promise.all(keys.map(pinPepper)).then((peppers) => ({ peppers }));
    got.catch(() => pinKeyCache.delete(id));
    pinKeyCache.set(id, got);
  }
  return got;
}

/** 12 random base64url characters (72 bits): ids that fit in callback data. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

export function botPorts(env: Env, settings: Settings): BotPorts {
  const clob = clobClientFor(settings.CLOB_API_URL);
  const books = streamerBookSource(env, clob);
  const streamer = streamerSubscriptions(env);
  const mirror = streamerTriggerMirror(env);
  // The keyring includes WALLET_ENCRYPTION_KEY_PREVIOUS, so envelopes sealed before a rotation open.
  const wallets = async (db: Db): Promise<WalletDeps> => ({ db, keyring: await keyringFor(settings) });
  return {
    books,
    trading: (db) => buildTradingDeps({ settings, db, clob, books, streamer }),
    triggers: (db) => ({ db, mirror }),
    wallets,
    async liveQuote(tokenId) {
      return streamerStub(env)
        .quote(tokenId)
        .catch(() => null);
    },
    gamma: () => new GammaClient({ baseUrl: settings.GAMMA_API_URL, timeoutMs: GAMMA_TIMEOUT_MS }),
    newId: randomId,
    pinKeys: () => pinKeysFor(settings),
    onboarding() {
      const { POLY_BUILDER_API_KEY: key, POLY_BUILDER_SECRET: secret, POLY_BUILDER_PASSPHRASE: passphrase } = settings;
      if (!key || !secret || !passphrase) return null;
      const relayer = new RelayerClient({ baseUrl: settings.RELAYER_URL, credentials: { kind: "builder", key, secret, passphrase } });
      return { relayer, chain: new PolygonRpc({ url: settings.POLYGON_RPC_URL }), clob, now: Date.now, wait: RELAYER_WAIT };
    },
    venueCash: async (db, userId) => venueCash({ clob, wallets: await wallets(db), now: Date.now }, userId),
    async scheduleSweep(at) {
      await streamerStub(env).scheduleSweep(at);
    },
  };
}
