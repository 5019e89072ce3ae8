// What a private key looks like in text (32 bytes as 64 hex digits, with or without 0x, not part of a
// longer hex run): the bot deletes any message that carries one, and logs never contain one.

/** A run of exactly 64 hex digits, optionally after 0x. */
const KEY_RUN = /(?<![0-9a-fA-Fx])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

export function looksLikePrivateKey(text: string): boolean {
  KEY_RUN.lastIndex = 0;
  return KEY_RUN.test(text);
}

/** The text with every key-shaped run replaced. */
export function maskKeys(text: string): string {
  return text.replace(KEY_RUN, "[redacted key]");
}
