// CLOB L2 auth: the HMAC-SHA256 request signature and the five POLY_* headers of every trading call.
// Mirrors @polymarket/clob-client-v2 signing/hmac.ts and headers createL2Headers (polymarket.md §4.3).

export interface ApiCreds {
  key: string;
  secret: string;
  passphrase: string;
}

export interface L2Headers {
  POLY_ADDRESS: string;
  POLY_SIGNATURE: string;
  POLY_TIMESTAMP: string;
  POLY_API_KEY: string;
  POLY_PASSPHRASE: string;
}

export interface L2HeadersInput {
  /** The address the API key is bound to (the EOA that created it, as in the official client). */
  address: string;
  creds: ApiCreds;
  /** Unix seconds. */
  timestamp: number;
  method: string;
  /** Path only (e.g. "/order"), never the query string: the venue signs params separately. */
  requestPath: string;
  /** The exact body string that will be sent; omitted for bodyless requests. */
  body?: string;
}

const encoder = new TextEncoder();

/** Above this a "seconds" timestamp is really milliseconds (year 5138): a classic mix-up. */
const MAX_UNIX_SECONDS = 1e11;

/** Rejects non-integers and millisecond timestamps where the venue wants seconds. */
export function assertUnixSeconds(timestamp: number, what: string): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp >= MAX_UNIX_SECONDS) {
    throw new RangeError(`${what}: timestamp must be unix seconds, got ${timestamp}`);
  }
}

/**
 * The API secret is url-safe base64 (sometimes unpadded); decode it the way the official client
 * does. Errors never echo the secret.
 */
function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret) throw new RangeError("L2 auth: API secret is empty");
  const normalized = secret.replace(/-/g, "+").replace(/_/g, "/");
  const padded = normalized + "=".repeat((4 - (normalized.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    throw new RangeError("L2 auth: API secret is not base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toUrlSafeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  // The venue expects url-safe characters but KEEPS the "=" padding (official hmac.ts).
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * base64url(HMAC_SHA256(base64url_decode(secret), `${timestamp}${method}${requestPath}${body ?? ""}`)).
 */
export async function l2Signature(
  secret: string,
  timestamp: number,
  method: string,
  requestPath: string,
  body?: string,
): Promise<string> {
  const key = await crypto.subtle.importKey("raw", decodeSecret(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const message = `${timestamp}${method}${requestPath}${body ?? ""}`;
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(message));
  return toUrlSafeBase64(new Uint8Array(mac));
}

/** The L2 headers for one request; sign the same body string you send. */
export async function l2Headers(input: L2HeadersInput): Promise<L2Headers> {
  const { address, creds, timestamp, method, requestPath, body } = input;
  assertUnixSeconds(timestamp, "L2 auth");
  if (requestPath.includes("?")) throw new RangeError("L2 auth: requestPath must not contain the query string");
  return {
    POLY_ADDRESS: address,
    POLY_SIGNATURE: await l2Signature(creds.secret, timestamp, method, requestPath, body),
    POLY_TIMESTAMP: `${timestamp}`,
    POLY_API_KEY: creds.key,
    POLY_PASSPHRASE: creds.passphrase,
  };
}
