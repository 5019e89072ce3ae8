// A v1 envelope (bound to the users row id only), as the product sealed them before envelopes were
// bound to the Telegram id too: for the tests of opening and re-sealing them.
import type { Keyring, SecretField } from "../../workers/wallets/envelope";

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function sealV1(ring: Keyring, owner: { userId: number; field: SecretField }, plaintext: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aad = new TextEncoder().encode(`polycool/wallet/v1|user:${owner.userId}|field:${owner.field}|key:${ring.current.id}`);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, ring.current.key, new TextEncoder().encode(plaintext)));
  return ["v1", ring.current.id, b64(nonce), b64(ct)].join(".");
}
