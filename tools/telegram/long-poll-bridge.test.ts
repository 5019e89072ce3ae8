import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { startBotApi, type BotApi } from "./bot-api-server";
import { startLongPollBridge, type LongPollBridge } from "./long-poll-bridge";
import type { SimUser } from "./updates";
import { startWebhookRecorder, type WebhookAnswer, type WebhookRecorder } from "./webhook-recorder";

const TOKEN = "100200300:real-looking-token";
const SECRET = "bridge-secret";
const alice: SimUser = { id: 5550000001, first_name: "Alice" };
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(answer?: (i: number) => WebhookAnswer): Promise<{ api: BotApi; hook: WebhookRecorder; bridge: LongPollBridge }> {
  const api = await startBotApi();
  cleanup.push(() => api.close());
  const hook = await startWebhookRecorder(answer ? (_r, i) => answer(i) : undefined);
  cleanup.push(() => hook.close());
  // A webhook left over from a deployment: the bridge must remove it before polling.
  api.setWebhook({ url: "http://127.0.0.1:9/old" });
  const bridge = await startLongPollBridge({ token: TOKEN, apiRoot: api.url, webhookUrl: hook.url, webhookSecret: SECRET, pollTimeoutSec: 5, rand: () => 0 });
  cleanup.push(() => bridge.stop());
  return { api, hook, bridge };
}

const outcomes = (api: BotApi) => api.deliveries().map((d) => d.outcome);

describe("long-poll bridge", () => {
  it("deletes the webhook, forwards updates with the secret, confirms them by offset", async () => {
    const { api, hook, bridge } = await setup();
    expect(api.webhookInfo().url).toBe("");
    await api.sendCommand(alice, "/start");
    await api.sendText(alice, "hello");
    const [a, b] = await hook.waitForRequests(2);
    expect(a!.headers["x-telegram-bot-api-secret-token"]).toBe(SECRET);
    expect([(a!.body as Update).message?.text, (b!.body as Update).message?.text]).toEqual(["/start", "hello"]);
    await api.waitFor(() => outcomes(api).every((o) => o === "fetched") || undefined, 5_000, "both updates confirmed");
    expect(bridge.stats()).toMatchObject({ forwarded: 2, offset: (b!.body as Update).update_id + 1 });
  });

  it("a failing webhook gets the same update again; nothing is confirmed before a 2xx", async () => {
    const { api, hook, bridge } = await setup((i) => ({ status: i < 2 ? 500 : 200 }));
    await api.sendText(alice, "buy");
    const reqs = await hook.waitForRequests(3);
    expect(new Set(reqs.map((r) => (r.body as Update).update_id)).size).toBe(1);
    await api.waitFor(() => outcomes(api)[0] === "fetched" || undefined, 5_000, "the update confirmed");
    expect(bridge.stats()).toMatchObject({ forwarded: 1, failures: 2, lastError: expect.stringContaining("webhook answered 500") });
  });

  it("replays a method the webhook answers with", async () => {
    const { api } = await setup(() => ({ status: 200, body: { method: "sendMessage", chat_id: alice.id, text: "pong" } }));
    await api.sendText(alice, "ping");
    await expect(api.waitForMessage(alice.id, "pong")).resolves.toMatchObject({ from: "bot" });
  });

  it("stop() ends a pending long poll at once", async () => {
    const { bridge } = await setup();
    const started = Date.now();
    await bridge.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a wrong token fails at start", async () => {
    const api = await startBotApi({ botId: 100200300 });
    cleanup.push(() => api.close());
    await expect(startLongPollBridge({ token: "999:other", apiRoot: api.url, webhookUrl: "http://127.0.0.1:9/x", webhookSecret: SECRET })).rejects.toThrow("deleteWebhook: 401 Unauthorized");
  });
});
