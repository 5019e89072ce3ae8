import { afterEach, describe, expect, it } from "vitest";
import { log, redact, setLogSink } from "./log";

describe("redact", () => {
  it("drops secret-looking keys and masks private keys in text, keeps market tokens", () => {
    const key = `0x${"ab".repeat(32)}`;
    expect(
      redact({ privateKey: key, api_secret: "s", passphrase: "p", botToken: "1:x", tokens: 3, tokenId: "123", note: `key ${key} here`, nested: { apiKey: "k" } }),
    ).toEqual({ privateKey: "[redacted]", api_secret: "[redacted]", passphrase: "[redacted]", botToken: "[redacted]", tokens: 3, tokenId: "123", note: "key [redacted key] here", nested: { apiKey: "[redacted]" } });
  });

  it.each([
    ["with 0x", `k=0x${"ab".repeat(32)}.`, "k=[redacted key]."],
    ["without 0x", `key ${"Cd".repeat(32)} pasted`, "key [redacted key] pasted"],
    ["two in a row", `${"1".repeat(64)} ${"f".repeat(64)}`, "[redacted key] [redacted key]"],
    ["a longer hex run is not a key (a signature, a hash of other length)", `0x${"a".repeat(130)}`, `0x${"a".repeat(130)}`],
    ["a 77-digit token id stays", "7".repeat(77), "7".repeat(77)],
  ])("masks a private key %s", (_name, text, want) => expect(redact(text)).toBe(want));

  it("drops signatures but keeps a wallet's signature type (which says nothing secret)", () => {
    expect(redact({ signature: "0xsig", order_signature: "0xsig", signature_type: 2, signatureType: 3 })).toEqual({
      signature: "[redacted]", order_signature: "[redacted]", signature_type: 2, signatureType: 3,
    });
  });
});

describe("log", () => {
  let restore: ReturnType<typeof setLogSink> | undefined;
  afterEach(() => restore && setLogSink(restore));
  it("writes one JSON line with the event name and level", () => {
    const lines: string[] = [];
    restore = setLogSink((line) => lines.push(line));
    log.warn("ws_closed", { shard: 1, code: 1006 });
    const parsed = JSON.parse(lines[0]!);
    expect(parsed).toMatchObject({ level: "warn", event: "ws_closed", shard: 1, code: 1006 });
    expect(typeof parsed.ts).toBe("string");
  });
});
