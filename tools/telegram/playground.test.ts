import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlaygroundState } from "./playground-state";
import { startPlayground, type Playground } from "./playground";
import { startWebhookRecorder, type WebhookRecorder } from "./webhook-recorder";

const TOKEN = "7000000001:playground-token";
const SECRET = "pg-secret";
let pg: Playground;
let hook: WebhookRecorder;

beforeAll(async () => {
  hook = await startWebhookRecorder();
  pg = await startPlayground({ port: 0, webhookUrl: hook.url, webhookSecret: SECRET });
});
afterAll(async () => {
  await pg.close();
  await hook.close();
});

const post = (path: string, body: unknown) => fetch(`${pg.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const state = (userId: number) => fetch(`${pg.url}/_playground/state?user=${userId}`).then((r) => r.json() as Promise<PlaygroundState>);

/** Reads server-sent events from the playground until `until` accepts one state. */
async function nextState(userId: number, until: (s: PlaygroundState) => boolean): Promise<PlaygroundState> {
  const res = await fetch(`${pg.url}/_playground/events?user=${userId}`);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("event stream ended");
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data && event.startsWith("event: state")) {
          const s = JSON.parse(data) as PlaygroundState;
          if (until(s)) return s;
        }
      }
    }
  } finally {
    await reader.cancel();
  }
}

describe("playground", () => {
  it("serves a self-contained page with stable test ids", async () => {
    const res = await fetch(`${pg.url}/`);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    for (const id of ["messages", "input", "send", "menu", "command-suggestions", "user-select", "new-user", "reply-keyboard", "webhook-status", "alert"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    const rendered = ["message", "message-text", "edited", "keyboard", "button", "toast", "command", "reply-button", "empty-chat", "start"];
    for (const id of rendered.map((t) => `"data-testid": "${t}"`)) {
      expect(html).toContain(id);
    }
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\/[a-z]/i);
    expect(html).not.toContain("innerHTML");
  });

  it("serves the Bot API on the same port and registers the webhook", async () => {
    expect(pg.apiRoot).toBe(pg.url);
    const me = await fetch(`${pg.apiRoot}/bot${TOKEN}/getMe`).then((r) => r.json());
    expect(me).toMatchObject({ ok: true, result: { id: 7000000001, is_bot: true } });
    expect(pg.botApi.webhookInfo().url).toBe(hook.url);
  });

  it("typing goes to the webhook as a real update; the bot's answer streams to the page", async () => {
    const user = pg.users.first();
    const res = await post("/_playground/send", { userId: user.id, text: "/start" });
    expect(res.status).toBe(202);
    const [req] = await hook.waitForRequests(1);
    expect(req!.headers["x-telegram-bot-api-secret-token"]).toBe(SECRET);
    expect((req!.body as Update).message).toMatchObject({ text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }], from: { id: user.id } });

    const api = (method: string, body: unknown) => fetch(`${pg.apiRoot}/bot${TOKEN}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await api("setMyCommands", { commands: [{ command: "start", description: "Main menu" }, { command: "markets", description: "Browse markets" }] });
    const streamed = nextState(user.id, (s) => s.messages.some((m) => m.from === "bot"));
    await api("sendMessage", { chat_id: user.id, text: "<b>Welcome</b> to <i>Polycool</i>", parse_mode: "HTML", reply_markup: { inline_keyboard: [[{ text: "Markets", callback_data: "menu:markets" }]] } });
    const s = await streamed;
    expect(s.commands.map((c) => c.command)).toEqual(["start", "markets"]);
    expect(s.messages.at(-1)).toMatchObject({
      text: "Welcome to Polycool",
      nodes: [{ tag: "b", children: ["Welcome"] }, " to ", { tag: "i", children: ["Polycool"] }],
      buttons: [[{ text: "Markets", kind: "callback", callback_data: "menu:markets" }]],
    });

    const bot = s.messages.at(-1)!;
    expect((await post("/_playground/press", { userId: user.id, messageId: bot.id, callbackData: "menu:markets" })).status).toBe(202);
    const [, press] = await hook.waitForRequests(2);
    expect((press!.body as Update).callback_query).toMatchObject({ data: "menu:markets", message: { message_id: bot.id } });
  });

  it("a new user starts with an empty chat of their own", async () => {
    const user = (await post("/_playground/users", {}).then((r) => r.json())) as { id: number; first_name: string };
    expect(user.id).not.toBe(pg.users.first().id);
    const s = await state(user.id);
    expect(s.user.id).toBe(user.id);
    expect(s.messages).toEqual([]);
    expect(s.users.map((u) => u.id)).toContain(user.id);
  });

  it("rejects bad requests without falling over", async () => {
    expect((await post("/_playground/send", { userId: 1, text: "x" })).status).toBe(400);
    expect((await post("/_playground/send", { text: "" })).status).toBe(400);
    expect((await fetch(`${pg.url}/nothing`)).status).toBe(404);
  });
});

describe("a restarted playground (npm start again)", () => {
  it("keeps the chats and numbers new updates after the old ones, so the bot answers at once", async () => {
    const os = await import("node:os");
    const fs = await import("node:fs");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-state-"));
    const stateFile = path.join(dir, "playground.json");
    const recorder = await startWebhookRecorder();
    try {
      const first = await startPlayground({ port: 0, webhookUrl: recorder.url, webhookSecret: SECRET, stateFile });
      const user = first.users.first();
      const a = await first.botApi.sendText(user, "before the restart");
      await first.botApi.call("setMyCommands", { commands: [{ command: "start", description: "Open the menu" }] });
      await first.close();
      const second = await startPlayground({ port: 0, webhookUrl: recorder.url, webhookSecret: SECRET, stateFile });
      try {
        const b = await second.botApi.sendText(user, "after the restart");
        expect(b.update.update_id).toBeGreaterThan(a.update.update_id);
        const texts = second.botApi.chat(user.id)!.messages.map((m) => m.text);
        expect(texts).toEqual(["before the restart", "after the restart"]);
        const ids = second.botApi.chat(user.id)!.messages.map((m) => m.id);
        expect(new Set(ids).size).toBe(2); // message ids go on, too
        expect(second.botApi.myCommands().map((c) => c.command)).toEqual(["start"]);
      } finally {
        await second.close();
      }
      // A damaged file is set aside; the playground still starts.
      fs.writeFileSync(stateFile, "{not json");
      const third = await startPlayground({ port: 0, webhookUrl: recorder.url, webhookSecret: SECRET, stateFile });
      await third.close();
      expect(fs.existsSync(`${stateFile}.broken`)).toBe(true);
    } finally {
      await recorder.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
