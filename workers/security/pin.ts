// The second factor: a 6-digit PIN the owner sets, asked before money or keys leave. Stored as
// PBKDF2-SHA256 (WebCrypto, the Workers runtime's own KDF; 100,000 iterations is the most workerd
// allows) over an HMAC of the PIN with a pepper derived from WALLET_ENCRYPTION_KEY, with a random
// salt: a stolen database alone is not enough to try the million PINs offline. Wrong attempts lock it.

export const PIN_DIGITS = 6;
/** workerd refuses PBKDF2 above 100,000 iterations. */
export const PIN_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const FORMAT = "pbkdf2-sha256";
/** Every this many wrong PINs in a row lock it, for LOCK_BASE_MS × 2^(locks − 1), at most LOCK_CAP_MS. */
export const PIN_TRIES_PER_LOCK = 5;
const LOCK_BASE_MS = 15 * 60_000;
const LOCK_CAP_MS = 24 * 3_600_000;

const enc = new TextEncoder();

export type PinProblem = "not_digits" | "too_simple";

/** A PIN the owner may choose: exactly 6 digits, not all the same, not a straight run. */
export function checkNewPin(pin: string): PinProblem | null {
  if (!new RegExp(`^\\d{${PIN_DIGITS}}$`).test(pin)) return "not_digits";
  const d = [...pin].map(Number);
  const steps = new Set(d.slice(1).map((x, i) => x - d[i]!));
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0]!)) return "too_simple";
  return null;
}

/** The pepper: an HMAC key derived (HKDF) from one WALLET_ENCRYPTION_KEY, never stored anywhere. */
export async function pinPepper(walletKeyBase64: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(walletKeyBase64.trim()), (c) => c.charCodeAt(0));
  const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: enc.encode("polycool/pin-pepper"), info: enc.encode("v1") },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** HMAC(pepper, user id ‖ PIN): the same PIN of two users never hashes alike, even before the salt. */
export async function peppered(pepper: CryptoKey, userId: number, pin: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", pepper, enc.encode(`${userId}:${pin}`)));
}

async function derive(secret: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256));
}

/** "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url). */
export async function hashPin(pepper: CryptoKey, userId: number, pin: string, rand: (n: number) => Uint8Array<ArrayBuffer> = (n) => crypto.getRandomValues(new Uint8Array(n))): Promise<string> {
  const salt = rand(SALT_BYTES);
  const hash = await derive(await peppered(pepper, userId, pin), salt, PIN_ITERATIONS);
  return [FORMAT, PIN_ITERATIONS, b64(salt), b64(hash)].join("$");
}

/** Constant-time comparison of two equal-length byte strings. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export async function verifyPin(peppers: readonly CryptoKey[], userId: number, pin: string, stored: string): Promise<boolean> {
  const [format, iterations, salt, hash] = stored.split("$");
  if (format !== FORMAT || !salt || !hash || !/^\d+$/.test(iterations ?? "")) return false;
  const want = unb64(hash);
  let ok = false;
  // Every pepper is tried (not stopping at a match), so the time does not tell which key matched.
  for (const p of peppers) if (sameBytes(await derive(await peppered(p, userId, pin), unb64(salt), Number(iterations)), want)) ok = true;
  return ok;
}

/** After a wrong PIN: the new count, and until when the PIN is locked (null: not locked). */
export function afterWrongPin(failures: number, now: number): { failures: number; lockedUntil: number | null } {
  const next = failures + 1;
  if (next % PIN_TRIES_PER_LOCK !== 0) return { failures: next, lockedUntil: null };
  const locks = next / PIN_TRIES_PER_LOCK;
  return { failures: next, lockedUntil: now + Math.min(LOCK_CAP_MS, LOCK_BASE_MS * 2 ** (locks - 1)) };
}

/** Wrong PINs left before the next lock. */
export const triesLeft = (failures: number) => PIN_TRIES_PER_LOCK - (failures % PIN_TRIES_PER_LOCK);
