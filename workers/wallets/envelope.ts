// Secrets at rest: AES-256-GCM (WebCrypto) envelopes bound to one user (its row id AND its Telegram id)
// and one field, with the key's id inside.
//
// Envelope text: "v2.<key id>.<nonce>.<ciphertext+tag>" (base64url). The key id is derived from
// the key itself (SHA-256 fingerprint), so rotation needs no version bookkeeping: the current key
// (WALLET_ENCRYPTION_KEY) seals, and any key in the ring whose id matches can open. v1 envelopes
// (bound to the row id only) still open; `npm run rotate-keys` re-seals them as v2. Binding the
// Telegram id means a database writer who moves a victim's telegram_id to their own account gets
// envelopes that no longer open.

export const ENVELOPE_VERSION = "v2";
const VERSIONS = ["v1", "v2"] as const;
const NONCE_BYTES = 12;
const KEY_ID_BYTES = 8;

export type SecretField = "private_key" | "api_secret" | "api_passphrase";

export interface WalletKey {
  id: string;
  key: CryptoKey;
}

export interface Keyring {
  current: WalletKey;
  /** Older keys, only to open envelopes sealed before a rotation. */
  previous: WalletKey[];
}

/** A failure that never carries key material or plaintext. */
export class WalletCryptoError extends Error {
  constructor(readonly code: "bad_key" | "bad_owner" | "malformed" | "unknown_key" | "decrypt_failed") {
    super(`wallet secret ${code.replace("_", " ")}`);
    this.name = "WalletCryptoError";
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64urlEncode(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function b64urlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new WalletCryptoError("malformed");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  let raw: string;
  try {
    raw = atob(b64);
  } catch {
    throw new WalletCryptoError("malformed");
  }
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Imports one base64 32-byte key (as WALLET_ENCRYPTION_KEY holds it). */
export async function importWalletKey(base64: string): Promise<WalletKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    const bin = atob(base64.trim());
    raw = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    throw new WalletCryptoError("bad_key");
  }
  if (raw.length !== 32) throw new WalletCryptoError("bad_key");
  const fingerprint = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array([...enc.encode("polycool/wallet-key-id/v1:"), ...raw])));
  const key = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return { id: hex(fingerprint.slice(0, KEY_ID_BYTES)), key };
}

/** The ring from WALLET_ENCRYPTION_KEY and the optional WALLET_ENCRYPTION_KEY_PREVIOUS (comma-separated). */
export async function loadKeyring(current: string, previous?: string): Promise<Keyring> {
  const old = (previous ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const ring: Keyring = { current: await importWalletKey(current), previous: [] };
  for (const b64 of old) {
    const k = await importWalletKey(b64);
    if (k.id !== ring.current.id) ring.previous.push(k);
  }
  return ring;
}

/** Whose secret an envelope holds: the users row and its Telegram account. */
export interface SecretOwner {
  userId: number;
  telegramId: number;
  field: SecretField;
}

/** Binds a ciphertext to its owner and purpose: it cannot be moved to another user, account or field. */
function aad(version: (typeof VERSIONS)[number], owner: SecretOwner, keyId: string): Uint8Array<ArrayBuffer> {
  const who = version === "v1" ? `user:${owner.userId}` : `user:${owner.userId}|tg:${owner.telegramId}`;
  // Copied into a fresh ArrayBuffer-backed array: Node's and workerd's typings differ on encode().
  return new Uint8Array(enc.encode(`polycool/wallet/${version}|${who}|field:${owner.field}|key:${keyId}`));
}

/** Encrypts with the current key and a fresh random 12-byte nonce. */
export async function seal(ring: Keyring, owner: SecretOwner, plaintext: string): Promise<string> {
  if (!Number.isSafeInteger(owner.telegramId) || owner.telegramId <= 0) throw new WalletCryptoError("bad_owner");
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const { id, key } = ring.current;
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad(ENVELOPE_VERSION, owner, id) }, key, enc.encode(plaintext));
  return [ENVELOPE_VERSION, id, b64urlEncode(nonce), b64urlEncode(new Uint8Array(ct))].join(".");
}

function parsed(envelope: string): { version: (typeof VERSIONS)[number]; keyId: string } | null {
  const parts = envelope.split(".");
  const version = VERSIONS.find((v) => v === parts[0]);
  return parts.length === 4 && version && /^[0-9a-f]{16}$/.test(parts[1]!) ? { version, keyId: parts[1]! } : null;
}

/** The key id an envelope was sealed with, or null when it is not an envelope. */
export function envelopeKeyId(envelope: string): string | null {
  return parsed(envelope)?.keyId ?? null;
}

/** Decrypts with whichever key of the ring sealed it; fails on a wrong key, owner or field. */
export async function open(ring: Keyring, owner: SecretOwner, envelope: string): Promise<string> {
  const head = parsed(envelope);
  if (!head) throw new WalletCryptoError("malformed");
  const keyId = head.keyId;
  const [, , nonceText, ctText] = envelope.split(".");
  const nonce = b64urlDecode(nonceText!);
  if (nonce.length !== NONCE_BYTES) throw new WalletCryptoError("malformed");
  const k = [ring.current, ...ring.previous].find((x) => x.id === keyId);
  if (!k) throw new WalletCryptoError("unknown_key");
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(nonce), additionalData: aad(head.version, owner, keyId) }, k.key, new Uint8Array(b64urlDecode(ctText!)));
    return dec.decode(pt);
  } catch {
    throw new WalletCryptoError("decrypt_failed");
  }
}

/** Sealed with an older key, or in the older format: rotation should re-seal it. */
export function needsRotation(ring: Keyring, envelope: string): boolean {
  const head = parsed(envelope);
  return head?.keyId !== ring.current.id || head.version !== ENVELOPE_VERSION;
}
