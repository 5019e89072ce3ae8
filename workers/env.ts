// Settings of contract.md (and our tunables), parsed once per env object with zod.
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const url = (schemes: string[]) =>
  z.string().refine((v) => {
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a ${schemes.join(" or ")} URL`);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const base64Key32 = z.string().refine((v) => {
  try {
    return atob(v.trim()).length === 32;
  } catch {
    return false;
  }
}, "must be base64 of exactly 32 bytes");

/** Secrets an outsider must not guess: at least this long (a random 24-byte base64url string is 32). */
export const MIN_SECRET_LENGTH = 32;
const secret = () => z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);
/** An origin (scheme, host, port) and nothing else; normalised without the trailing slash. */
const origin = url(["https:", "http:"])
  .refine((v) => {
    const u = new URL(v);
    return u.pathname === "/" && !u.search && !u.hash && !u.username;
  }, "must be the Worker's origin only, e.g. https://polycool.example.workers.dev")
  .transform((v) => new URL(v).origin);

/** Tunables: every default is named and explained here. */
export const DEFAULTS = {
  /** Tokens per market-channel connection; Polymarket stops sending snapshots above 500. */
  STREAMER_SHARD_SIZE: 200,
  /** No data frame for this long means a frozen feed (PONG alone does not count). */
  STREAMER_STALE_MS: 60_000,
  /** How often prices and P&L are written to Postgres (debounce window). */
  STREAMER_FLUSH_MS: 1_000,
  /** Polling cadence while the stream is down or stale. */
  STREAMER_POLL_MS: 3_000,
  /** Virtual USDC a paper account starts with. */
  PAPER_START_BALANCE: "1000",
  /** A stop whose bid moved more than this share (basis points) in one frame is confirmed over REST before selling. */
  TRIGGER_JUMP_CONFIRM_BPS: 3_000,
  /** While triggers are armed, their books are cross-checked over REST (POST /books) this often; 0 turns it off. */
  STREAMER_CROSSCHECK_MS: 3_000,
} as const;

const settingsObject = z.object({
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, "must look like <bot id>:<secret>"),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{32,256}$/, "must be 32-256 characters A-Z a-z 0-9 _ -"),
  TELEGRAM_API_ROOT: url(["https:", "http:"]).default("https://api.telegram.org"),
  /** The bot's username, from getMe: `npm run deploy` and `npm start` store it; never guessed. */
  TELEGRAM_BOT_USERNAME: z.string().regex(/^\w{3,64}$/, "must be the bot's username (npm run deploy stores it from getMe)"),
  DATABASE_URL: url(["postgres:", "postgresql:"]),
  ADMIN_TOKEN: secret(),
  /** The second admin secret: re-registering the Telegram webhook needs it beside ADMIN_TOKEN. Unset: that route is off. */
  ADMIN_WEBHOOK_TOKEN: secret().optional(),
  /** The Worker's public origin; the Telegram webhook is pinned to `${WORKER_URL}/telegram/webhook`. */
  WORKER_URL: origin.optional(),
  WALLET_ENCRYPTION_KEY: base64Key32,
  /** Rotation only: earlier keys (comma-separated) that stored envelopes may still use. */
  WALLET_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(",").every((k) => {
      try {
        return atob(k.trim()).length === 32;
      } catch {
        return false;
      }
    }), "must be comma-separated base64 keys of 32 bytes")
    .optional(),
  STREAMER_ENABLED: bool.default(true),
  CLOB_WSS_URL: url(["wss:", "ws:"]).default("wss://ws-subscriptions-clob.polymarket.com/ws/market"),
  CLOB_API_URL: url(["https:", "http:"]).default("https://clob.polymarket.com"),
  GAMMA_API_URL: url(["https:", "http:"]).default("https://gamma-api.polymarket.com"),
  TRADING_MODE: z.enum(["paper", "live"]).default("paper"),
  /** Polymarket's relayer: deposit-wallet deployment and the gasless approval batch (polymarket-2026-accounts.md §1.4). */
  RELAYER_URL: url(["https:", "http:"]).default("https://relayer-v2.polymarket.com"),
  /** Polymarket's Data API (positions, activity). */
  DATA_API_URL: url(["https:", "http:"]).default("https://data-api.polymarket.com"),
  /** Polygon JSON-RPC for chain reads (a deposit wallet's code); the endpoint as given, keys in its path are fine. */
  POLYGON_RPC_URL: url(["https:", "http:"]).default("https://polygon-rpc.com"),
  /**
   * Builder API credentials: the relayer accepts a builder's signed requests for any owner, so the bot can
   * onboard a generated wallet (a Relayer API key is bound to one owner and minted in Polymarket's UI).
   * All three or none; none: generated wallets are plain EOAs (type 0) and the bot deploys nothing.
   */
  POLY_BUILDER_API_KEY: z.string().min(1).optional(),
  POLY_BUILDER_SECRET: z.string().min(1).optional(),
  POLY_BUILDER_PASSPHRASE: z.string().min(1).optional(),
  /** Polymarket's geoblock endpoint: whether this Worker's egress may trade (workers/placement.ts). */
  POLYMARKET_GEOBLOCK_URL: url(["https:", "http:"]).default("https://polymarket.com/api/geoblock"),
  /**
   * Where the streamer object is created (a Durable Object location hint; it applies only when the
   * object is first created, so set it before the first deploy). Unset: near the first request.
   */
  STREAMER_LOCATION_HINT: z.enum(["wnam", "enam", "sam", "weur", "eeur", "apac", "apac-ne", "apac-se", "oc", "afr", "me"]).optional(),
  /** Local development only: host:port of the WebSocket-to-Postgres proxy (unset on Neon). */
  NEON_WS_PROXY: z.string().regex(/^[\w.-]+:\d+$/, "must be host:port").optional(),
  STREAMER_SHARD_SIZE: int(1, 500).default(DEFAULTS.STREAMER_SHARD_SIZE),
  STREAMER_STALE_MS: int(1_000, 3_600_000).default(DEFAULTS.STREAMER_STALE_MS),
  STREAMER_FLUSH_MS: int(50, 60_000).default(DEFAULTS.STREAMER_FLUSH_MS),
  STREAMER_POLL_MS: int(250, 60_000).default(DEFAULTS.STREAMER_POLL_MS),
  PAPER_START_BALANCE: z.string().regex(/^\d{1,9}(\.\d{1,6})?$/).default(DEFAULTS.PAPER_START_BALANCE),
  TRIGGER_JUMP_CONFIRM_BPS: int(100, 10_000).default(DEFAULTS.TRIGGER_JUMP_CONFIRM_BPS),
  STREAMER_CROSSCHECK_MS: int(0, 60_000).refine((v) => v === 0 || v >= 1_000, "0 (off) or 1000..60000").default(DEFAULTS.STREAMER_CROSSCHECK_MS),
  /** Gamma pages (100 markets each) per step of the MarketSync workflow. */
  MARKET_SYNC_PAGES_PER_STEP: int(1, 100).default(20),
});

export const settingsSchema = settingsObject
  .refine((s) => new Set([s.POLY_BUILDER_API_KEY, s.POLY_BUILDER_SECRET, s.POLY_BUILDER_PASSPHRASE].map((v) => v === undefined)).size === 1, {
    path: ["POLY_BUILDER_API_KEY"],
    message: "POLY_BUILDER_API_KEY, POLY_BUILDER_SECRET and POLY_BUILDER_PASSPHRASE go together: set all three or none",
  })
  .refine((s) => s.ADMIN_WEBHOOK_TOKEN === undefined || s.ADMIN_WEBHOOK_TOKEN !== s.ADMIN_TOKEN, {
  path: ["ADMIN_WEBHOOK_TOKEN"],
  message: "must differ from ADMIN_TOKEN (it is the second factor for re-pointing the webhook)",
});

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  constructor(readonly setting: string, readonly problem: string) {
    super(`setting ${setting} ${problem}`);
    this.name = "SettingsError";
  }
}

/** Parses raw settings; throws SettingsError naming the first bad setting in one line. */
export function parseSettings(raw: Record<string, unknown>): Settings {
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    // Empty strings mean "not set", as in a shell `FOO= npm start`.
    if (typeof v === "string" && v.trim() === "") continue;
    cleaned[k] = v;
  }
  const result = settingsSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "?");
  const problem = cleaned[name] === undefined ? "is missing" : `is malformed: ${issue.message}`;
  throw new SettingsError(name, problem);
}

const cache = new WeakMap<object, Settings>();

/** Settings for a Worker/DO env object, parsed once per isolate and env. */
export function settingsOf(env: object): Settings {
  let s = cache.get(env);
  if (!s) {
    s = parseSettings(env as Record<string, unknown>);
    cache.set(env, s);
  }
  return s;
}
