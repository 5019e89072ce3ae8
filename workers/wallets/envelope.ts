// Secrets at rest: AES-256-GCM (WebCrypto) envelopes bound to one user and field, with the key's id inside.
//
// Envelope text: "v1.<key id>.<nonce>.<ciphertext+tag>" (base64url). The key id is derived from
// the key itself (SHA-256 fingerprint), so rotation needs no version bookkeeping: the current key
// (WALLET_ENCRYPTION_KEY) seals, and any key in the ring whose id matches can open.

export const ENVELOPE_VERSION = "v1";
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
  constructor(readonly code: "bad_key" | "malformed" | "unknown_key" | "decrypt_failed") {
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

/** Binds a ciphertext to its owner and purpose: it cannot be moved to another user or field. */
function aad(userId: number, field: SecretField, keyId: string): Uint8Array<ArrayBuffer> {
  // Copied into a fresh ArrayBuffer-backed array: Node's and workerd's typings differ on encode().
  return new Uint8Array(enc.encode(`polycool/wallet/${ENVELOPE_VERSION}|user:${userId}|field:${field}|key:${keyId}`));
}

/** Encrypts with the current key and a fresh random 12-byte nonce. */
export async function seal(ring: Keyring, owner: { userId: number; field: SecretField }, plaintext: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const { id, key } = ring.current;
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad(owner.userId, owner.field, id) }, key, enc.encode(plaintext));
  return [ENVELOPE_VERSION, id, b64urlEncode(nonce), b64urlEncode(new Uint8Array(ct))].join(".");
}

/** The key id an envelope was sealed with, or null when it is not an envelope. */
export function envelopeKeyId(envelope: string): string | null {
  const parts = envelope.split(".");
  return parts.length === 4 && parts[0] === ENVELOPE_VERSION && /^[0-9a-f]{16}$/.test(parts[1]!) ? parts[1]! : null;
}

/** Decrypts with whichever key of the ring sealed it; fails on a wrong key, owner or field. */
export async function open(ring: Keyring, owner: { userId: number; field: SecretField }, envelope: string): Promise<string> {
  const keyId = envelopeKeyId(envelope);
  if (!keyId) throw new WalletCryptoError("malformed");
  const [, , nonceText, ctText] = envelope.split(".");
  const nonce = b64urlDecode(nonceText!);
  if (nonce.length !== NONCE_BYTES) throw new WalletCryptoError("malformed");
  const k = [ring.current, ...ring.previous].find((x) => x.id === keyId);
  if (!k) throw new WalletCryptoError("unknown_key");
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(nonce), additionalData: aad(owner.userId, owner.field, keyId) }, k.key, new Uint8Array(b64urlDecode(ctText!)));
    return dec.decode(pt);
  } catch {
    throw new WalletCryptoError("decrypt_failed");
  }
}

/** Sealed with an older key: rotation should re-seal it. */
export function needsRotation(ring: Keyring, envelope: string): boolean {
  return envelopeKeyId(envelope) !== ring.current.id;
}
