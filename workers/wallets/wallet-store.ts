// Wallets of live users: import or generate, encrypted at rest, decrypted only to sign or on an explicit export.
import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Db } from "../db/client";
import { log } from "../lib/log";
import type { ApiCreds } from "../polymarket/auth-l2";
import { depositWalletAddress } from "../polymarket/deposit-wallet";
import { type Keyring, open, seal } from "./envelope";
import { describeIssues, importWalletSchema, type SignatureType } from "./wallet-input";

export interface WalletDeps {
  db: Db;
  keyring: Keyring;
}

/** What may be shown about a wallet: never key material. */
export interface WalletInfo {
  userId: number;
  /** The EOA that signs. */
  address: Address;
  signatureType: SignatureType;
  /** The maker for types 1-3 (proxy, Safe, deposit wallet); null for an EOA. */
  funderAddress: Address | null;
  /** Where pUSD must be: the funder for types 1-3, else the EOA. */
  tradingAddress: Address;
  origin: "imported" | "generated";
  hasApiCreds: boolean;
  /** A deposit wallet the bot set up (or is setting up) whose deployment, approvals or API key is not done yet. */
  setupPending: boolean;
}

export type WalletResult =
  | { ok: true; wallet: WalletInfo; note: string }
  | { ok: false; reason: "invalid_input" | "wallet_exists" | "live_activity"; message: string };

/** Said to every user who sets up a live wallet: what the bot does not do for them. */
export const LIVE_WALLET_NOTE = [
  "Fund it with pUSD on Polygon at the trading address shown; the bot never moves funds or sets approvals for you.",
  "Before the first order, the wallet needs Polymarket's token approvals (done once on polymarket.com or with your own tools).",
  "New Polymarket accounts may have to use the deposit-wallet flow (signature type 3): if orders are refused with",
  "'please use the deposit wallet flow', import the key with signature type 3 and your deposit wallet address.",
].join(" ");

/** Said to a user whose wallet is a deposit wallet the bot onboards: deployed and approved through Polymarket's relayer. */
export const DEPOSIT_WALLET_NOTE = [
  "This key owns a Polymarket deposit wallet: the bot deploys it and sets its trading approvals through Polymarket's relayer (no POL needed).",
  "Fund the deposit wallet with pUSD on Polygon once it is ready.",
].join(" ");

/** The onboarding columns WalletInfo.setupPending is read from. */
const SETUP_COLUMNS = sql.raw("deployed_at, approved_at, api_key_bound_at");

function infoFromRow(r: Record<string, unknown>): WalletInfo {
  const funder = r.funder_address === null || r.funder_address === undefined ? null : (String(r.funder_address) as Address);
  const info: WalletInfo = {
    userId: Number(r.user_id),
    address: String(r.address) as Address,
    signatureType: Number(r.signature_type) as SignatureType,
    funderAddress: funder,
    tradingAddress: funder ?? (String(r.address) as Address),
    origin: r.origin === "generated" ? "generated" : "imported",
    hasApiCreds: r.api_key !== null && r.api_key !== undefined,
    setupPending: false,
  };
  // Only the factory's own address of the key is set up by the bot; another funder was set up elsewhere.
  info.setupPending = isOnboardable(info) && (r.deployed_at === null || r.approved_at === null || r.api_key_bound_at === null);
  return info;
}

/** A deposit wallet the factory gives this owner (beacon or, for wallets deployed before the upgrade, UUPS): the bot can deploy and approve it. */
export function isOnboardable(w: Pick<WalletInfo, "address" | "signatureType" | "funderAddress">): boolean {
  return w.signatureType === 3 && w.funderAddress !== null && (w.funderAddress === depositWalletAddress(w.address, "beacon") || w.funderAddress === depositWalletAddress(w.address, "uups"));
}

export async function getWallet(deps: WalletDeps, userId: number): Promise<WalletInfo | null> {
  const res = await deps.db.execute(sql`SELECT user_id, address, signature_type, funder_address, origin, api_key, ${SETUP_COLUMNS} FROM wallets WHERE user_id = ${userId}`);
  return res.rows[0] ? infoFromRow(res.rows[0]) : null;
}

/** The Telegram account a users row belongs to: envelopes are bound to it (envelope.ts). */
export async function telegramIdOf(db: Db, userId: number): Promise<number> {
  const r = await db.execute(sql`SELECT telegram_id FROM users WHERE id = ${userId}`);
  const id = r.rows[0]?.telegram_id;
  if (id === undefined || id === null) throw new Error(`no user ${userId}`);
  return Number(id);
}

/** Replacing a wallet under open live positions or unsettled live orders would orphan them. */
async function hasLiveActivity(db: Db, userId: number): Promise<boolean> {
  const res = await db.execute(sql`
    SELECT EXISTS (SELECT 1 FROM positions WHERE user_id = ${userId} AND mode = 'live' AND status <> 'closed')
        OR EXISTS (SELECT 1 FROM orders WHERE user_id = ${userId} AND mode = 'live' AND status IN ('pending', 'submitted', 'unknown')) AS busy`);
  return res.rows[0]?.busy === true;
}

async function store(
  deps: WalletDeps,
  userId: number,
  w: { privateKey: Hex; address: Address; signatureType: SignatureType; funderAddress: Address | null; origin: "imported" | "generated" },
  replace: boolean,
): Promise<WalletResult> {
  const existing = await getWallet(deps, userId);
  if (existing && !replace) return { ok: false, reason: "wallet_exists", message: "You already have a wallet; replacing it needs a confirmation." };
  if (existing && (await hasLiveActivity(deps.db, userId))) {
    return { ok: false, reason: "live_activity", message: "Close your live positions (and let pending orders settle) before replacing the wallet." };
  }
  const sealed = await seal(deps.keyring, { userId, telegramId: await telegramIdOf(deps.db, userId), field: "private_key" }, w.privateKey);
  const res = await deps.db.execute(sql`
    INSERT INTO wallets (user_id, address, signature_type, funder_address, origin, encrypted_private_key, key_version)
    VALUES (${userId}, ${w.address}, ${w.signatureType}, ${w.funderAddress}, ${w.origin}, ${sealed}, 1)
    ON CONFLICT (user_id) DO UPDATE SET address = EXCLUDED.address, signature_type = EXCLUDED.signature_type,
      funder_address = EXCLUDED.funder_address, origin = EXCLUDED.origin, encrypted_private_key = EXCLUDED.encrypted_private_key,
      api_key = NULL, encrypted_api_secret = NULL, encrypted_api_passphrase = NULL, exported_at = NULL,
      deployed_at = NULL, approved_at = NULL, api_key_bound_at = NULL, relayer_tx_step = NULL, relayer_tx_id = NULL,
      relayer_tx_nonce = NULL, onboarding_error = NULL, onboarding_lease_until = NULL, updated_at = now()
    WHERE ${replace}::boolean
    RETURNING user_id, address, signature_type, funder_address, origin, api_key, ${SETUP_COLUMNS}`);
  if (!res.rows[0]) return { ok: false, reason: "wallet_exists", message: "You already have a wallet; replacing it needs a confirmation." };
  log.info("wallet_stored", { user_id: userId, address: w.address, signature_type: w.signatureType, origin: w.origin, replaced: existing !== null });
  const wallet = infoFromRow(res.rows[0]);
  return { ok: true, wallet, note: isOnboardable(wallet) ? DEPOSIT_WALLET_NOTE : LIVE_WALLET_NOTE };
}

/** Imports a key (with signature type and funder when not an EOA), validated; never echoes the key. */
export async function importWallet(deps: WalletDeps, userId: number, input: unknown, opts: { replace?: boolean } = {}): Promise<WalletResult> {
  const parsed = importWalletSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_input", message: describeIssues(parsed.error) };
  return store(deps, userId, { ...parsed.data, origin: "imported" }, opts.replace === true);
}

/**
 * A fresh owner key; the key is shown to nobody until an explicit export. With `depositWallet` it owns a
 * Polymarket deposit wallet (type 3, the factory's address of this owner; onboarding.ts deploys it),
 * as every account Polymarket creates today does; without, it trades as a plain EOA (type 0).
 */
export async function generateWallet(deps: WalletDeps, userId: number, opts: { replace?: boolean; depositWallet?: boolean } = {}): Promise<WalletResult> {
  const privateKey = generatePrivateKey();
  const address = privateKeyToAccount(privateKey).address;
  const w = opts.depositWallet ? { signatureType: 3 as const, funderAddress: depositWalletAddress(address) } : { signatureType: 0 as const, funderAddress: null };
  return store(deps, userId, { privateKey, address, ...w, origin: "generated" }, opts.replace === true);
}

/** The signing material, only for the duration of `use` (order signing, L1 auth). */
export interface WalletSigner extends WalletInfo {
  privateKey: Hex;
  /** The stored CLOB API credentials, read in the same query (one round trip less when signing). */
  storedCreds?: ApiCreds;
}

/** The wallet columns signing needs, still sealed (selected alongside other reads to save a round trip). */
export const SEALED_WALLET_COLUMNS = sql.raw(
  "user_id, address, signature_type, funder_address, origin, api_key, encrypted_private_key, encrypted_api_secret, encrypted_api_passphrase, " +
    "deployed_at, approved_at, api_key_bound_at, " +
    "(SELECT telegram_id FROM users WHERE users.id = wallets.user_id) AS owner_telegram_id",
);

/** A wallets row as read with SEALED_WALLET_COLUMNS: key material still encrypted. */
export type SealedWallet = Record<string, unknown>;

export async function withSigner<T>(deps: WalletDeps, userId: number, use: (signer: WalletSigner | null) => Promise<T>): Promise<T> {
  const res = await deps.db.execute(sql`SELECT ${SEALED_WALLET_COLUMNS} FROM wallets WHERE user_id = ${userId}`);
  return withSealedSigner(deps, userId, res.rows[0] ?? null, use);
}

/** withSigner for a row the caller already read (null: the user has no wallet). */
export async function withSealedSigner<T>(deps: WalletDeps, userId: number, row: SealedWallet | null, use: (signer: WalletSigner | null) => Promise<T>): Promise<T> {
  if (!row) return use(null);
  if (Number(row.user_id) !== userId) throw new Error("sealed wallet row belongs to another user");
  const hasCreds = row.api_key !== null && row.encrypted_api_secret !== null && row.encrypted_api_passphrase !== null;
  const telegramId = Number(row.owner_telegram_id);
  const [privateKey, secret, passphrase] = await Promise.all([
    open(deps.keyring, { userId, telegramId, field: "private_key" }, String(row.encrypted_private_key)),
    hasCreds ? open(deps.keyring, { userId, telegramId, field: "api_secret" }, String(row.encrypted_api_secret)) : null,
    hasCreds ? open(deps.keyring, { userId, telegramId, field: "api_passphrase" }, String(row.encrypted_api_passphrase)) : null,
  ]);
  const storedCreds = secret !== null && passphrase !== null ? { key: String(row.api_key), secret, passphrase } : undefined;
  return use({ ...infoFromRow(row), privateKey: privateKey as Hex, ...(storedCreds ? { storedCreds } : {}) });
}

/**
 * The private key, for the bot to show ONLY after the user confirmed (it deletes the message
 * after 60 s). Records when it was exported.
 */
export async function exportPrivateKey(deps: WalletDeps, userId: number): Promise<{ address: Address; privateKey: Hex } | null> {
  const out = await withSigner(deps, userId, async (s) => (s ? { address: s.address, privateKey: s.privateKey } : null));
  if (out) {
    await deps.db.execute(sql`UPDATE wallets SET exported_at = now(), updated_at = now() WHERE user_id = ${userId}`);
    log.warn("wallet_key_exported", { user_id: userId, address: out.address });
  }
  return out;
}
