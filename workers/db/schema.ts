// The single source of truth for Postgres tables; drizzle-kit generates migrations/ from it.
// Money and shares are numeric(20,6) (exact, 10^-6 units as on chain); prices numeric(12,6).
// drizzle returns numeric as decimal strings, never floats.
// Over 300 lines on purpose: drizzle-kit reads this one file, and one file shows every table and its constraints.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const money = (name: string) => numeric(name, { precision: 20, scale: 6 });
const price = (name: string) => numeric(name, { precision: 12, scale: 6 });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/** Postgres full-text document (drizzle has no built-in tsvector). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const created = () => ts("created_at").notNull().defaultNow();
const updated = () => ts("updated_at").notNull().defaultNow();

export const users = pgTable("users", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  telegramId: bigint("telegram_id", { mode: "number" }).notNull().unique(),
  chatId: bigint("chat_id", { mode: "number" }),
  username: text("username"),
  firstName: text("first_name"),
  /** 'paper' | 'live' */
  mode: text("mode").notNull().default("paper"),
  /** Paper account: virtual cash and what was deposited (start balance and resets). */
  paperCash: money("paper_cash").notNull().default("0"),
  paperDeposits: money("paper_deposits").notNull().default("0"),
  /** Increments on every paper reset; positions of older epochs are archived. */
  paperEpoch: integer("paper_epoch").notNull().default(0),
  /** Buy presets, slippage bound, default TP/SL and the like (validated by zod on read). */
  settings: jsonb("settings").notNull().default(sql`'{}'::jsonb`),
  /** What the bot waits for the user to type next (custom amount, a level, a key). */
  pendingInput: jsonb("pending_input"),
  /** The second factor (workers/security/pin.ts): a salted, peppered PBKDF2 hash; null until set. */
  pinHash: text("pin_hash"),
  /** Wrong PINs since the last right one; every 5 lock the PIN for longer. */
  pinFailures: integer("pin_failures").notNull().default(0),
  pinLockedUntil: ts("pin_locked_until"),
  createdAt: created(),
  updatedAt: updated(),
});

export const wallets = pgTable("wallets", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  userId: bigint("user_id", { mode: "number" })
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  /** EOA that signs (the signer). */
  address: text("address").notNull(),
  /** 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271 (deposit wallet). */
  signatureType: smallint("signature_type").notNull().default(0),
  /** Maker for types 1-3 (proxy, Safe or deposit wallet); null for EOA. */
  funderAddress: text("funder_address"),
  /** 'imported' | 'generated' */
  origin: text("origin").notNull(),
  /** AES-256-GCM envelopes "v<key version>.<nonce b64>.<ciphertext b64>". */
  encryptedPrivateKey: text("encrypted_private_key").notNull(),
  apiKey: text("api_key"),
  encryptedApiSecret: text("encrypted_api_secret"),
  encryptedApiPassphrase: text("encrypted_api_passphrase"),
  keyVersion: integer("key_version").notNull().default(1),
  /**
   * Deposit-wallet onboarding (type 3, workers/wallets/onboarding.ts): each step's completion time. A step
   * with a relayer transaction records its id (and the batch nonce it signed) before waiting, so a crash
   * resumes by following that transaction, never by sending a second one.
   */
  deployedAt: ts("deployed_at"),
  approvedAt: ts("approved_at"),
  apiKeyBoundAt: ts("api_key_bound_at"),
  /** 'deploy' | 'approve': the step the pending relayer transaction belongs to. */
  relayerTxStep: text("relayer_tx_step"),
  relayerTxId: text("relayer_tx_id"),
  /** The WALLET batch nonce the pending approval transaction carries. */
  relayerTxNonce: text("relayer_tx_nonce"),
  /** The last step's failure, as the relayer or venue said it (shown to the user, cleared on success). */
  onboardingError: text("onboarding_error"),
  /** One onboarding run at a time per wallet (a double press, a retry beside a running one): a short lease. */
  onboardingLeaseUntil: ts("onboarding_lease_until"),
  exportedAt: ts("exported_at"),
  createdAt: created(),
  updatedAt: updated(),
});

export const markets = pgTable(
  "markets",
  {
    /** Gamma market id. */
    id: text("id").primaryKey(),
    conditionId: text("condition_id").notNull(),
    question: text("question").notNull(),
    slug: text("slug"),
    eventSlug: text("event_slug"),
    eventTitle: text("event_title"),
    category: text("category"),
    /** Labels of the market's and its event's visible Gamma tags (searched, with the titles). */
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    description: text("description"),
    /** Token ids aligned with outcomes (clobTokenIds for v1 markets, positionIds for v2). */
    clobTokenIds: jsonb("clob_token_ids").$type<string[]>().notNull(),
    outcomes: jsonb("outcomes").$type<string[]>().notNull(),
    /** Displayed prices aligned with outcomes, as decimal strings. */
    outcomePrices: jsonb("outcome_prices").$type<(string | null)[]>().notNull(),
    /** Where the last price came from: 'gamma' | 'ws' | 'poll'. */
    source: text("source").notNull().default("gamma"),
    tickSize: numeric("tick_size", { precision: 8, scale: 6 }).notNull().default("0.01"),
    negRisk: boolean("neg_risk").notNull().default(false),
    minOrderSize: money("min_order_size").notNull().default("5"),
    /** Taker fee rate (0 = fee-free) and exponent: fee = shares × rate × (p(1−p))^exponent. Synced from Gamma. */
    feeRate: numeric("fee_rate", { precision: 8, scale: 6 }).notNull().default("0"),
    feeExponent: smallint("fee_exponent").notNull().default(1),
    /** Gamma `version`: 'v1' (CTF Exchange V2) or 'v2' (ExchangeV3). */
    version: text("version").notNull().default("v1"),
    active: boolean("active").notNull().default(true),
    closed: boolean("closed").notNull().default(false),
    acceptingOrders: boolean("accepting_orders").notNull().default(true),
    volume: money("volume"),
    volume24hr: money("volume_24hr"),
    liquidity: money("liquidity"),
    endDate: ts("end_date"),
    image: text("image"),
    /** Winning outcome once resolved. */
    resolvedOutcome: text("resolved_outcome"),
    /** When the REST resolution check last asked about this market (the check rotates, oldest first). */
    resolutionCheckedAt: ts("resolution_checked_at"),
    syncedAt: ts("synced_at"),
    createdAt: created(),
    updatedAt: updated(),
    /** What /search matches words against: the title (weight A), the event's title (B), category and tags (C). */
    searchDoc: tsvector("search_doc").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', question), 'A') || setweight(to_tsvector('english', coalesce(event_title, '')), 'B') || setweight(to_tsvector('english', coalesce(category, '') || ' ' || tags::text), 'C')`,
    ),
  },
  (t) => [
    index("markets_search_doc_idx").using("gin", t.searchDoc),
    index("markets_condition_id_idx").on(t.conditionId),
    index("markets_slug_idx").on(t.slug),
    index("markets_event_slug_idx").on(t.eventSlug),
    index("markets_source_updated_idx").on(t.source, t.updatedAt),
    index("markets_volume_idx").on(t.volume24hr),
  ],
);

/**
 * Every word of the markets' titles, event titles, categories and tags (3 to 40 letters or digits, not
 * only digits), filled by a trigger on insert (migration 0008): the search's typo fallback finds the
 * words closest to a mistyped one here (trigram similarity), then searches for those.
 */
export const marketWords = pgTable("market_words", { word: text("word").primaryKey() }, (t) => [index("market_words_trgm_idx").using("gin", t.word.op("gin_trgm_ops"))]);

/** One market sync (a run of the MarketSync workflow): its progress, checkpointed after every step. */
export const marketSyncs = pgTable(
  "market_syncs",
  {
    /** The workflow instance id. */
    id: text("id").primaryKey(),
    /** 'full' (every open market; marks the ones gone closed) | 'delta' (newest and busiest pages). */
    kind: text("kind").notNull(),
    /** 'running' | 'complete' | 'failed'. */
    status: text("status").notNull().default("running"),
    /** Where the listing stands (gamma-client.ts ListingCursor), null before the first page and at the end. */
    cursor: jsonb("cursor"),
    /** A run that took over a stalled one continues from its cursor. */
    resumedFrom: text("resumed_from"),
    pages: integer("pages").notNull().default(0),
    fetched: integer("fetched").notNull().default(0),
    upserted: integer("upserted").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    /** Full sync: open markets Gamma no longer lists, marked closed at the end. */
    closedMarked: integer("closed_marked").notNull().default(0),
    error: text("error"),
    startedAt: ts("started_at").notNull().defaultNow(),
    updatedAt: updated(),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("market_syncs_started_idx").on(t.startedAt)],
);

export const marketTokens = pgTable(
  "market_tokens",
  {
    tokenId: text("token_id").primaryKey(),
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
    outcome: text("outcome").notNull(),
    outcomeIndex: smallint("outcome_index").notNull(),
    bestBid: price("best_bid"),
    bestAsk: price("best_ask"),
    lastTradePrice: price("last_trade_price"),
    /** 'gamma' | 'ws' | 'poll' */
    priceSource: text("price_source"),
    priceUpdatedAt: ts("price_updated_at"),
    winner: boolean("winner"),
  },
  (t) => [index("market_tokens_market_idx").on(t.marketId)],
);

export const positions = pgTable(
  "positions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    marketId: text("market_id")
      .notNull()
      .references(() => markets.id),
    tokenId: text("token_id").notNull(),
    outcome: text("outcome").notNull(),
    /** 'paper' | 'live' */
    mode: text("mode").notNull(),
    paperEpoch: integer("paper_epoch").notNull().default(0),
    /** 'active' (open) | 'closing' (claimed by one seller) | 'closed' */
    status: text("status").notNull().default("active"),
    shares: money("shares").notNull(),
    /** USDC paid for the shares still held (fees included). */
    costBasis: money("cost_basis").notNull(),
    avgPrice: price("avg_price").notNull(),
    /** Best bid of the token: what selling would get at the top of the book. */
    currentPrice: price("current_price"),
    /** Unrealised P&L in USDC at current_price. */
    pnlAmount: money("pnl_amount"),
    priceSource: text("price_source"),
    priceAt: ts("price_at"),
    realizedPnl: money("realized_pnl").notNull().default("0"),
    /** The single claimant of a 'closing' position (conditional update decides who). */
    claimId: text("claim_id"),
    claimedBy: text("claimed_by"),
    claimedAt: ts("claimed_at"),
    closeReason: text("close_reason"),
    openedAt: ts("opened_at").notNull().defaultNow(),
    closedAt: ts("closed_at"),
    updatedAt: updated(),
  },
  (t) => [
    index("positions_token_status_idx").on(t.tokenId, t.status),
    index("positions_user_status_idx").on(t.userId, t.status),
    index("positions_status_updated_idx").on(t.status, t.updatedAt),
    // At most one open position per user, token and mode.
    uniqueIndex("positions_one_open_idx")
      .on(t.userId, t.tokenId, t.mode)
      .where(sql`status <> 'closed'`),
  ],
);

export const orders = pgTable(
  "orders",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Written before the venue is called; unique so an attempt is never recorded twice. */
    clientOrderId: text("client_order_id").notNull().unique(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    positionId: bigint("position_id", { mode: "number" }).references(() => positions.id),
    marketId: text("market_id").notNull(),
    tokenId: text("token_id").notNull(),
    mode: text("mode").notNull(),
    /** 'BUY' | 'SELL' */
    side: text("side").notNull(),
    /** 'FOK' | 'FAK' */
    orderType: text("order_type").notNull(),
    /** 'manual' | 'take_profit' | 'stop_loss' | 'trailing_stop' | 'resolution' */
    reason: text("reason").notNull().default("manual"),
    /** USDC for a BUY, shares for a SELL. */
    requestedAmount: money("requested_amount").notNull(),
    worstPrice: price("worst_price"),
    /** 'pending' | 'submitted' | 'filled' | 'partially_filled' | 'rejected' | 'unknown' | 'failed' */
    status: text("status").notNull().default("pending"),
    /** Venue order id (the EIP-712 order hash), known before sending. */
    venueOrderId: text("venue_order_id"),
    venueStatus: text("venue_status"),
    filledShares: money("filled_shares").notNull().default("0"),
    filledAmount: money("filled_amount").notNull().default("0"),
    avgPrice: price("avg_price"),
    fees: money("fees").notNull().default("0"),
    /** SELL: proceeds − the cost basis of the shares sold, once settled. */
    realizedPnl: money("realized_pnl"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** The signed order as sent (public data only: no key material). */
    signedOrder: jsonb("signed_order"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: created(),
    updatedAt: updated(),
    settledAt: ts("settled_at"),
  },
  (t) => [
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_position_idx").on(t.positionId),
    index("orders_status_idx").on(t.status),
  ],
);

export const triggers = pgTable(
  "triggers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    positionId: bigint("position_id", { mode: "number" })
      .notNull()
      .references(() => positions.id, { onDelete: "cascade" }),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenId: text("token_id").notNull(),
    /** 'take_profit' | 'stop_loss' | 'trailing_stop' */
    kind: text("kind").notNull(),
    /** Trigger level for take_profit / stop_loss. */
    price: price("price"),
    /** Distance below the high-water best bid for trailing_stop. */
    trail: price("trail"),
    highWater: price("high_water"),
    /** What the user typed, e.g. "+50%" or "70¢". */
    spec: text("spec"),
    /** After a failed sell: 'rearm' keeps it armed, 'disarm' marks it failed. */
    onFailure: text("on_failure").notNull().default("rearm"),
    /** 'armed' | 'fired' | 'failed' | 'cancelled' */
    status: text("status").notNull().default("armed"),
    firedAt: ts("fired_at"),
    /** Failed fires in a row (a sale that threw or was refused); reset when a sale goes through. */
    attempts: integer("attempts").notNull().default(0),
    /** A failed fire is retried no earlier than this (per-trigger backoff); null: fire at once. */
    retryAt: ts("retry_at"),
    /** Stop loss: sell at any price (the trader accepted the warning); false: a stop-limit at the level's floor. */
    anyPrice: boolean("any_price").notNull().default(false),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index("triggers_token_status_idx").on(t.tokenId, t.status),
    uniqueIndex("triggers_one_armed_kind_idx")
      .on(t.positionId, t.kind)
      .where(sql`status = 'armed'`),
  ],
);

/** Every fire and every refusal to fire, so a user can ask why a stop did (not) fire. */
export const triggerEvents = pgTable(
  "trigger_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    positionId: bigint("position_id", { mode: "number" }).notNull(),
    triggerId: bigint("trigger_id", { mode: "number" }),
    userId: bigint("user_id", { mode: "number" }).notNull(),
    /** 'fired' | 'refused' | 'sell_failed' | 'sold' */
    outcome: text("outcome").notNull(),
    reason: text("reason"),
    price: price("price"),
    /** 'ws' | 'poll' | 'rest' */
    priceSource: text("price_source"),
    priceAgeMs: integer("price_age_ms"),
    latencyMs: numeric("latency_ms", { precision: 12, scale: 3 }),
    orderId: bigint("order_id", { mode: "number" }),
    createdAt: created(),
  },
  (t) => [index("trigger_events_position_idx").on(t.positionId, t.createdAt)],
);

/** Webhook deliveries are at-least-once: an update_id is recorded before acting. */
export const telegramUpdates = pgTable(
  "telegram_updates",
  {
    updateId: bigint("update_id", { mode: "number" }).primaryKey(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    /** Why the update was refused unread (a forged chat: workers/bot/identity.ts); null when acted on. */
    refused: text("refused"),
  },
  (t) => [index("telegram_updates_received_idx").on(t.receivedAt)],
);

/**
 * A previewed action (e.g. a buy) that a Confirm button executes at most once; also the bot's
 * search pages (kind 'list') and scheduled message deletions (kind 'delete_message').
 */
export const tradeIntents = pgTable(
  "trade_intents",
  {
    id: text("id").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    usedAt: ts("used_at"),
    expiresAt: ts("expires_at").notNull(),
    createdAt: created(),
  },
  (t) => [index("trade_intents_kind_expires_idx").on(t.kind, t.expiresAt)],
);

/** Fixed-window counters for per-user rate limits. */
export const rateLimits = pgTable(
  "rate_limits",
  {
    userId: bigint("user_id", { mode: "number" }).notNull(),
    bucket: text("bucket").notNull(),
    windowStart: ts("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [uniqueIndex("rate_limits_pk").on(t.userId, t.bucket, t.windowStart)],
);

/**
 * Security actions that happen after a delay the owner can cancel (a key export, a forgotten-PIN
 * reset): the request is told at once, the action runs at due_at unless cancelled.
 */
export const secureActions = pgTable(
  "secure_actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** 'export_key' | 'reset_pin' */
    kind: text("kind").notNull(),
    /** 'pending' | 'cancelled' | 'running' | 'done' | 'failed' */
    status: text("status").notNull().default("pending"),
    dueAt: ts("due_at").notNull(),
    /** The message that announced it (its Cancel button), edited when it ends. */
    noticeMessageId: bigint("notice_message_id", { mode: "number" }),
    doneAt: ts("done_at"),
    createdAt: created(),
  },
  (t) => [index("secure_actions_due_idx").on(t.status, t.dueAt), index("secure_actions_user_idx").on(t.userId, t.kind, t.status)],
);

/**
 * Messages that must leave the chat (an exported key, a pasted one): recorded before the bot sends
 * them, deleted when due, retried with backoff until Telegram confirms or says it is too old.
 */
export const messageDeletions = pgTable(
  "message_deletions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    /** Null while the message is being sent (recorded first). */
    messageId: bigint("message_id", { mode: "number" }),
    /** 'exported_key' | 'pasted_key' */
    purpose: text("purpose").notNull(),
    dueAt: ts("due_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    /** 'pending' | 'deleted' | 'gave_up' (too old to delete: the owner was told to delete it) */
    status: text("status").notNull().default("pending"),
    lastError: text("last_error"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [index("message_deletions_due_idx").on(t.status, t.nextAttemptAt)],
);

/** What the operator must know about (dashboard, metrics, logs): one row per check, the latest outcome. */
export const operatorChecks = pgTable("operator_checks", {
  /** 'telegram_webhook' (the webhook is pinned to WORKER_URL), … */
  name: text("name").primaryKey(),
  ok: boolean("ok").notNull(),
  /** Check-specific: for the webhook 'pinned' | 'restored' | 'mismatch' | 'unpinned' | 'failed'. */
  status: text("status").notNull(),
  /** One line for the operator (never a secret). */
  detail: text("detail").notNull(),
  /** When the check first reached this status (the alert's age). */
  since: ts("since").notNull(),
  checkedAt: ts("checked_at").notNull(),
});
