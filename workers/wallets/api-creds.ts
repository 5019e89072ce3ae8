// CLOB API credentials: derived on first live use (derive first, create only when none exists), kept encrypted.
import { sql } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { log } from "../lib/log";
import type { ApiCreds } from "../polymarket/auth-l2";
import { open, seal } from "./envelope";
import { telegramIdOf, type WalletDeps, type WalletSigner } from "./wallet-store";

/** The CLOB client's key management (ClobClient.getOrCreateApiKey: derive, create only on 404). */
export interface ApiKeySource {
  getOrCreateApiKey(privateKey: Hex): Promise<ApiCreds>;
}

/** The stored credentials and the address they are bound to (the signing EOA), or null. */
export async function loadApiCreds(deps: WalletDeps, userId: number): Promise<{ address: Address; creds: ApiCreds } | null> {
  const res = await deps.db.execute(sql`
    SELECT address, api_key, encrypted_api_secret, encrypted_api_passphrase, (SELECT telegram_id FROM users WHERE users.id = wallets.user_id) AS telegram_id
    FROM wallets WHERE user_id = ${userId}`);
  const r = res.rows[0];
  if (!r || r.api_key === null || r.encrypted_api_secret === null || r.encrypted_api_passphrase === null) return null;
  const [secret, passphrase] = await Promise.all([
    open(deps.keyring, { userId, telegramId: Number(r.telegram_id), field: "api_secret" }, String(r.encrypted_api_secret)),
    open(deps.keyring, { userId, telegramId: Number(r.telegram_id), field: "api_passphrase" }, String(r.encrypted_api_passphrase)),
  ]);
  return { address: String(r.address) as Address, creds: { key: String(r.api_key), secret, passphrase } };
}

export async function saveApiCreds(deps: WalletDeps, userId: number, creds: ApiCreds): Promise<void> {
  const telegramId = await telegramIdOf(deps.db, userId);
  const [secret, passphrase] = await Promise.all([
    seal(deps.keyring, { userId, telegramId, field: "api_secret" }, creds.secret),
    seal(deps.keyring, { userId, telegramId, field: "api_passphrase" }, creds.passphrase),
  ]);
  await deps.db.execute(sql`
    UPDATE wallets SET api_key = ${creds.key}, encrypted_api_secret = ${secret}, encrypted_api_passphrase = ${passphrase}, updated_at = now()
    WHERE user_id = ${userId}`);
}

/** Forgets credentials the venue refused (401): the next live use derives them again. */
export async function clearApiCreds(deps: WalletDeps, userId: number): Promise<void> {
  await deps.db.execute(sql`
    UPDATE wallets SET api_key = NULL, encrypted_api_secret = NULL, encrypted_api_passphrase = NULL, updated_at = now() WHERE user_id = ${userId}`);
  log.warn("wallet_api_creds_cleared", { user_id: userId });
}

/** Stored credentials, or new ones from the venue (then stored encrypted). */
export async function ensureApiCreds(deps: WalletDeps, signer: WalletSigner, source: ApiKeySource): Promise<ApiCreds> {
  if (signer.storedCreds) return signer.storedCreds;
  const stored = await loadApiCreds(deps, signer.userId);
  if (stored) return stored.creds;
  const creds = await source.getOrCreateApiKey(signer.privateKey);
  await saveApiCreds(deps, signer.userId, creds);
  log.info("wallet_api_creds_derived", { user_id: signer.userId, address: signer.address });
  return creds;
}
