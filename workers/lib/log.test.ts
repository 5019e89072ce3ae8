import { afterEach, describe, expect, it } from "vitest";
import { log, redact, setLogSink } from "./log";

describe("redact", () => {
  it("drops secret-looking keys and masks private keys in text, keeps market tokens", () => {
    const key = `0x${"ab".repeat(32)}`;
    expect(
      redact({ privateKey: key, api_secret: "s", passphrase: "p", botToken: "1:x", tokens: 3, tokenId: "123", note: `key ${key} here`, nested: { apiKey: "k" } }),
    ).toEqual({ privateKey: "[redacted]", api_secret: "[redacted]", passphrase: "[redacted]", botToken: "[redacted]", tokens: 3, tokenId: "123", note: "key 0x[redacted] here", nested: { apiKey: "[redacted]" } });
  });

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
