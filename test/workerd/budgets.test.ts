// Budgets per invocation (issue #24): subrequests and time of the webhook (buy paper and live, sell, export), the
// every-minute cron run and the export's delivery, against the Workers Paid plan's documented limits.
// Local workerd enforces neither limit, so they are counted here (invocation-meter.ts) and printed.
// Time is wall time, which bounds CPU time from above. The market sync is measured in Node, with
// 1,600 markets on its own database (workers/markets/sync-budget.test.ts).
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKET_SYNC_EVERY_MINUTES, runCron } from "../../workers/cron";
import { createDb } from "../../workers/db/client";
import { settingsOf } from "../../workers/env";
import { sweepHousekeeping } from "../../workers/security/housekeeping";
import { type Figures, InvocationMeter } from "./invocation-meter";
import { Conversation, dbHandle, labels, marketWithBook, setPin } from "./bot-harness";

/** Workers Paid: subrequests per invocation (the figure this issue and older pages give; newer pages say 10,000). */
const PAID_SUBREQUESTS = 1_000;
/** Workers Paid: CPU per invocation by default (configurable up to 300,000 ms with [limits] cpu_ms). */
const PAID_CPU_MS = 30_000;
/** Workers Free, for comparison in the printed line. */
const FREE_SUBREQUESTS = 50;
const FREE_CPU_MS = 10;

const meter = new InvocationMeter();
const figures: Array<[string, Figures]> = [];

beforeAll(() => meter.install(env));
afterAll(async () => {
  for (const [name, f] of figures) {
    const kinds = Object.entries(f.byKind).map(([k, n]) => `${k} ${n}`).join(", ");
    console.log(
      `[budget] ${name}: ${f.subrequests} subrequests (Paid ${PAID_SUBREQUESTS}, Free ${FREE_SUBREQUESTS}; ${kinds}), ` +
        `${f.statements} statements, wall ${f.wallMs} ms ≥ CPU (Paid ${PAID_CPU_MS} ms, Free ${FREE_CPU_MS} ms)`,
    );
  }
  await dbHandle.close();
});

/** Measures one invocation: `act` sends it and waits for what the user sees; the meter waits for its waitUntil work. */
async function measure(name: string, act: () => Promise<unknown>): Promise<Figures> {
  meter.start();
  await act();
  const f = await meter.stop();
  figures.push([name, f]);
  expect(f.subrequests, name).toBeLessThan(PAID_SUBREQUESTS);
  expect(f.wallMs, name).toBeLessThan(PAID_CPU_MS);
  return f;
}

describe("budgets per invocation", () => {
  it("the webhook (buy, sell, key export), the cron run and the export's delivery, each under the Paid plan's limits", async () => {
    const { word, yes } = await marketWithBook();
    const c = new Conversation();
    await c.command("start");
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    const buy = await measure("webhook: Confirm a $10 buy (paper)", async () => {
      await c.press("Confirm");
      await c.waitFor("Bought");
    });
    expect(buy.byKind["streamer RPC"] ?? 0).toBeGreaterThan(0); // the meter sees the Worker's calls, not only the test's

    // With the position open the product is busy: the cron does its whole every-minute run. A minute
    // off the sync (the sync is measured on its own database: it rewrites every market row).
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const cron = await measure("cron: an ordinary minute (kick, orders in flight, deletions)", () => runCron(hour + (MARKET_SYNC_EVERY_MINUTES + 1) * 60_000, env));
    expect(cron.statements).toBeGreaterThan(0);

    await c.press("View position");
    await measure("webhook: Sell all (paper, preview and Confirm)", async () => {
      await c.press("Sell all");
      await c.press("Confirm");
      await c.waitFor("The position is closed");
    });

    await c.command("wallet");
    await c.press("Generate wallet");
    await c.press("Generate");
    await setPin(c, "246810");
    await c.press("Export key");
    await c.press("Continue");
    await measure("webhook: the PIN that schedules a key export", async () => {
      await c.say("246810");
      await c.waitFor("Key export requested");
    });
    // The delivery, 10 minutes later, is housekeeping (the streamer's alarm, or the cron).
    await measure("housekeeping: the key export delivered", async () => {
      const own = createDb(settingsOf(env)); // as the alarm or the cron: its own connections
      try {
        await sweepHousekeeping({ db: own.db, settings: settingsOf(env) }, Date.now() + 11 * 60_000);
      } finally {
        await own.close();
      }
      await c.waitFor(/0x[0-9a-f]{64}/i);
    });

    // Live: the order is signed (EIP-712, as the official client does) and posted to the CLOB (the
    // local Polymarket, which verifies signature and HMAC).
    await c.command("wallet");
    await c.press("Switch to live");
    await c.press("Confirm");
    await c.say("246810");
    await c.waitFor("Live mode: orders now use real money");
    await c.command("search", word);
    await c.press(labels(await c.lastBot()).find((l) => l.startsWith("1. "))!);
    await c.press(`Buy ${yes}`);
    await c.press("$10");
    const live = await measure("webhook: Confirm a $10 buy (live: signed, posted to the CLOB)", async () => {
      await c.press("Confirm");
      await c.waitFor(/Bought|Not bought|not confirmed/);
    });
    expect(Object.keys(live.byKind).some((k) => k.startsWith("fetch /clob/order"))).toBe(true);
  });
});
