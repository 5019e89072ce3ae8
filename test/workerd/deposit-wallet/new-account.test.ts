// A new Polymarket account (the 2026 new-account rule on for its owner) through the bot, as a user: generate a
// wallet → the bot deploys the deposit wallet and sets the approvals through the relayer (progress edits) →
// funded through the local Polymarket's control API → balance shown → $10 buy on a fee-enabled market (the
// preview and the fill show the fee; the order is type 3, maker == signer == the deposit wallet) → a stop
// loss fires live → the ledger, the venue's balance and the bot agree to the micro. Then the setup when the relayer
// fails (told in its words; Finish setup completes it), and an import of `KEY 3`.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { depositWalletAddress } from "../../../workers/polymarket/deposit-wallet";
import { toMicros } from "../../../workers/money/micros";
import { usd } from "../../../workers/telegram/format";
import { eventually } from "../../support/polymarket-control";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { Conversation, db, dbHandle, labels, marketWithBook, openBySearch, pm, setPin } from "../bot-harness";

afterAll(() => dbHandle.close());
// A reset of the shared venue by another file forgets builder keys: register the Worker's again (same label, same key).
beforeAll(() => pm.builderKey("polycool-tests"));

const txsOf = async (owner: string) =>
  (await pm.relayerTransactions()).filter((t) => t.from.toLowerCase() === owner.toLowerCase()).map((t) => `${t.type} ${t.state}`);

async function walletRow(telegramId: number) {
  const r = await db.execute(sql`SELECT w.* FROM wallets w JOIN users u ON u.id = w.user_id WHERE u.telegram_id = ${telegramId}`);
  return r.rows[0]!;
}

describe("a new account onboarded by the bot", () => {
  it("generate → deployed and approved → funded → $10 buy with its fee → stop loss fires live → ledger, venue and bot agree", async () => {
    const c = new Conversation();
    await c.command("start");
    await c.command("wallet");
    await c.press("Generate wallet");
    await c.press("Generate");
    const ready = await c.waitFor("Your deposit wallet is deployed and approved", 30_000);

    // The factory's address of the generated owner, deployed and approved by the relayer, in one message edited in place.
    const w = await walletRow(c.user.id);
    const owner = String(w.address);
    const deposit = depositWalletAddress(owner);
    expect(w).toMatchObject({ signature_type: 3, funder_address: deposit, relayer_tx_step: null, onboarding_error: null });
    expect(w.deployed_at && w.approved_at && w.api_key_bound_at).toBeTruthy();
    expect(ready.edited).toBe(true);
    const txs = (await pm.relayerTransactions()).filter((t) => t.from.toLowerCase() === owner.toLowerCase());
    expect(txs.map((t) => [t.type, t.state])).toEqual([
      ["WALLET-CREATE", "STATE_CONFIRMED"],
      ["WALLET", "STATE_CONFIRMED"],
    ]);
    expect(txs[1]!.calls).toHaveLength(15);
    expect(ready.text).toContain(`Deposit wallet (signature type 3): ${deposit}`);
    const copy = ready.buttons.flat().find((b) => b.text === "Copy address");
    expect(copy).toMatchObject({ kind: "copy", copy_text: deposit });

    // The QR code: a PNG photo with the address in its caption.
    await c.press("QR code");
    const qr = await c.waitFor("Deposit address (pUSD on Polygon only)");
    expect(qr.photo?.file).toBe("deposit-address.png");
    expect(atob(qr.photo!.base64).slice(1, 4)).toBe("PNG");
    expect(qr.text).toContain(deposit);

    // From now on the venue treats this owner as a new account: EOA orders would be refused.
    await pm.rules({ addNewAccountOwner: owner });
    await pm.setBalance(deposit, "100");
    await setPin(c, "135790");
    await c.command("wallet");
    await c.press("Switch to live");
    await c.press("Confirm"); // the confirmation with the balance, then the PIN
    await c.say("135790");
    const live = await c.waitFor("Live mode: orders now use real money");
    expect(live.text).toContain("Polymarket cash: $100.00 pUSD");

    // $10 on a fee-enabled market (rate 0.07): 20 shares at 0.50, fee 20 × 0.07 × 0.25 = 0.35.
    const { m, word, yes } = await marketWithBook();
    await pm.setFees(m.id, "0.07");
    await db.execute(sql`UPDATE markets SET fee_rate = 0.07, fee_exponent = 1 WHERE id = ${m.id}`);
    await openBySearch(c, word);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    const preview = await c.lastBot();
    expect(preview.text).toContain("Polymarket fee: $0.35 · total $10.35");
    await c.press("Confirm");
    const bought = await c.waitFor("Bought", 20_000);
    expect(bought.text).toContain("Fees: $0.35");
    const buy = (await db.execute(sql`SELECT o.signed_order, o.fees, o.filled_amount, o.filled_shares FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id} AND o.side = 'BUY'`)).rows[0]!;
    expect(buy).toMatchObject({ fees: "0.350000", filled_amount: "10.000000", filled_shares: "20.000000" });
    expect((buy.signed_order as { order: Record<string, unknown> }).order).toMatchObject({ signatureType: 3, maker: deposit, signer: deposit });
    expect((await pm.balanceOf(deposit)).pusd).toBe("89.65");

    // A stop loss at 40¢; the bid falls to 39¢ and the streamer sells live.
    await c.press("Stop loss");
    await c.say("40¢");
    await c.waitFor("Stop loss set: 40¢");
    await pm.setBook(m.tokenIds[0], [["0.39", "1000"]], [["0.41", "1000"]]);
    const sold = await c.waitFor("Stop loss hit: sold", 20_000);
    expect(sold.text).toContain("20");

    // The ledger: what the orders say was paid and received, fees included, is what the venue's balance moved by.
    const rows = (await db.execute<{ side: string; filled_amount: string; fees: string; status: string }>(sql`
      SELECT o.side, o.filled_amount, o.fees, o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ${c.user.id} ORDER BY o.id`)).rows;
    expect(rows.map((r) => [r.side, r.status])).toEqual([["BUY", "filled"], ["SELL", "filled"]]);
    const net = rows.reduce((n, r) => (r.side === "BUY" ? n - toMicros(r.filled_amount) - toMicros(r.fees) : n + toMicros(r.filled_amount) - toMicros(r.fees)), 0n);
    // 20 × 0.39 = 7.80, fee 20 × 0.07 × 0.39 × 0.61 = 0.33306
    expect(rows[1]).toMatchObject({ filled_amount: "7.800000", fees: "0.333060" });
    const venue = toMicros((await pm.balanceOf(deposit)).pusd);
    expect(venue).toBe(100_000_000n + net);
    const pos = (await db.execute<{ realized_pnl: string; status: string }>(sql`SELECT p.realized_pnl, p.status FROM positions p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = ${c.user.id}`)).rows[0]!;
    expect(pos.status).toBe("closed");
    expect(toMicros(pos.realized_pnl)).toBe(net);

    // The bot shows the same cash (to the cent, as it displays money), once its short cache has the sale.
    const cents = usd(venue);
    expect(cents).toBe("$97.12"); // 100 − 10.35 + 7.46694 = 97.11694
    await eventually(async () => {
      await c.command("wallet");
      return (await c.lastBot()).text.includes(`Polymarket cash: ${cents} pUSD`);
    }, `the wallet screen showing ${cents}`, 15_000, 500);
    expect(labels(await c.lastBot())).not.toContain("Finish setup");
  }, 90_000);
});

describe("wallet setup through the bot", () => {
  it("a failed deployment is told with the relayer's words; a live buy meanwhile is refused before signing; Finish setup completes it", async () => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    // This owner's next relayer transaction fails (only its own: other tests share the venue).
    await pm.relayerFault({ mode: "fail", count: 1, errorMsg: "execution reverted: out of gas", owner });
    const c = new Conversation();
    await c.command("start");
    await c.command("wallet");
    await c.press("Import key");
    await c.say(`${key} 3`);
    const failed = await c.waitFor("could not finish deploying the wallet", 30_000);
    expect(failed.text).toContain("⚠️ Setup not finished: Polymarket's relayer could not finish deploying the wallet (execution reverted: out of gas).");
    expect(labels(failed)).toContain("Finish setup");
    expect(await txsOf(owner)).toEqual(["WALLET-CREATE STATE_FAILED"]);

    // Live before the setup is done: the buy is refused before anything is signed, with what to do.
    await setPin(c, "975310");
    await c.command("wallet");
    await c.press("Switch to live");
    await c.press("Confirm"); // the confirmation with the balance, then the PIN
    await c.say("975310");
    await c.waitFor("Live mode: orders now use real money");
    const { word, yes } = await marketWithBook();
    const before = (await pm.orders()).length;
    await openBySearch(c, word);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    await c.press("Confirm");
    await c.waitFor("Your deposit wallet is not set up yet: open Wallet and press Finish setup. Nothing was sent.");
    expect((await pm.orders()).length).toBe(before);

    await c.command("wallet");
    await c.press("Finish setup");
    const done = await c.waitFor("Your deposit wallet is deployed and approved", 30_000);
    expect(labels(done)).not.toContain("Finish setup");
    expect(await txsOf(owner)).toEqual(["WALLET-CREATE STATE_FAILED", "WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
  });

  it("importing KEY 3 derives the deposit wallet, deletes the key message and sets the wallet up", async () => {
    const key = generatePrivateKey();
    const owner = privateKeyToAccount(key).address;
    const c = new Conversation();
    await c.command("start");
    await c.command("wallet");
    await c.press("Import key");
    await c.say(`${key} 3`);
    const done = await c.waitFor("Your deposit wallet is deployed and approved", 30_000);
    expect(done.text).toContain(`Deposit wallet (signature type 3): ${depositWalletAddress(owner)}`);
    expect((await c.chat()).messages.some((m) => m.text.includes(key.slice(2, 20)))).toBe(false);
    expect(await txsOf(owner)).toEqual(["WALLET-CREATE STATE_CONFIRMED", "WALLET STATE_CONFIRMED"]);
  });
});
