// Key material never at rest in plain text: after a live run through the bot (a key imported, API
// credentials derived from the venue, orders signed and sent, a TP/SL armed), every text and JSON
// column of every table and every log line of the run are scanned for the private key and the
// API secret and passphrase.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it, onTestFinished } from "vitest";
import { setLogSink } from "../../workers/lib/log";
import { settingsOf } from "../../workers/env";
import { keyringFor } from "../../workers/trading/deps";
import { loadApiCreds } from "../../workers/wallets/api-creds";
import { Conversation, db, labels, marketWithBook, setPin } from "./bot-harness";

// A fresh random key per run (never a real one).
const KEY_HEX = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Every text-like column of every table in the public schema, as SQL to count rows holding `needle`. */
async function rowsContaining(needle: string): Promise<Array<{ table: string; column: string; n: number }>> {
  const cols = await db.execute<{ table_name: string; column_name: string }>(sql`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`);
  const hits: Array<{ table: string; column: string; n: number }> = [];
  for (const c of cols.rows) {
    const r = await db.execute<{ n: string }>(
      sql`SELECT count(*)::text AS n FROM ${sql.identifier(c.table_name)} WHERE lower(${sql.identifier(c.column_name)}::text) LIKE ${`%${needle.toLowerCase()}%`}`,
    );
    const n = Number(r.rows[0]!.n);
    if (n > 0) hits.push({ table: c.table_name, column: c.column_name, n });
  }
  return hits;
}

describe("key material scan", () => {
  it("finds no private key, API secret or passphrase in any column or log line of a live run", async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    onTestFinished(() => void setLogSink(restore));

    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("wallet");
    await c.press("Import key");
    await c.say(`0x${KEY_HEX}`);
    await c.waitFor("Wallet imported");
    await setPin(c, "975310");
    await c.press("Switch to live");
    await c.press("Confirm");
    await c.say("975310");
    await c.waitFor("Live mode: orders now use real money");
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    await c.press("Confirm");
    const done = await c.waitFor(/Bought|Not bought|not confirmed/);
    expect(done.text).toContain("Bought");
    await c.press("Take profit");
    await c.press("+50% (75¢)");

    // The credentials the venue issued, read back through the keyring (the only way to see them).
    const user = await db.execute<{ id: string }>(sql`SELECT id FROM users WHERE telegram_id = ${c.user.id}`);
    const creds = await loadApiCreds({ db, keyring: await keyringFor(settingsOf(env)) }, Number(user.rows[0]!.id));
    expect(creds).not.toBeNull();
    const secrets = { "private key": KEY_HEX, "API secret": creds!.creds.secret, "API passphrase": creds!.creds.passphrase };

    const columnsScanned = await db.execute<{ n: string }>(sql`
      SELECT count(*)::text AS n FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`);
    expect(Number(columnsScanned.rows[0]!.n)).toBeGreaterThan(40);
    // The scanner does find what is there: the market's word sits in markets.question.
    expect(await rowsContaining(word)).toContainEqual(expect.objectContaining({ table: "markets", column: "question" }));
    for (const [what, value] of Object.entries(secrets)) {
      expect({ what, hits: await rowsContaining(value) }).toEqual({ what, hits: [] });
      expect({ what, lines: lines.filter((l) => l.toLowerCase().includes(value.toLowerCase())) }).toEqual({ what, lines: [] });
    }
    // The run did log (the scan looked at something): wallet, order and trigger events.
    expect(lines.length).toBeGreaterThan(5);
  });
});
