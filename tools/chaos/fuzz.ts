// Hostile webhook traffic, pure and seeded: random JSON, broken JSON, wrong shapes, huge and injected
// texts, forged button data naming other users' positions, replayed update ids, other update kinds,
// and wrong or missing secrets. Each item says which HTTP status the webhook owes it.
import { prng } from "../../test/support/prng";

export type FuzzKind =
  | "random-json" | "not-json" | "bad-shape" | "huge-text" | "max-text" | "html-injection" | "markdown-injection"
  | "forged-callback" | "bad-callback" | "other-kind" | "group-chat" | "replay" | "wrong-secret" | "no-secret"
  /** The right secret, a victim as the sender, and another private chat (the key-theft forgery). */
  | "forged-identity";

export interface FuzzItem {
  kind: FuzzKind;
  body: string;
  secret: "valid" | "wrong" | "none";
  /** 401 without the right secret; 200 for everything else (acknowledged, acted on or dropped). */
  expect: 200 | 401;
}

export interface FuzzTargets {
  /** Sim users with a chat at the stand-in (their replies land somewhere we can read). */
  attackers: readonly number[];
  /** Other users' position ids: forged buttons name these. */
  victimPositions: readonly number[];
  /** Update ids already used by real updates (replayed with forged content). */
  replayIds: readonly number[];
  /** Victims' Telegram ids: forged identities claim to be them. */
  victimTelegramIds: readonly number[];
  /** Private chats used only by forged identities: anything the bot sends there is a leak. */
  impostorChats: readonly number[];
}

/**
 * Every action a button or a command can ask for, as a victim would send it: a forged identity tries
 * each (exports, live mode, PIN resets, sells, levels, settings), with every command besides.
 */
const EVERY_ACTION = [
  "1h", "1?", "1t:0", "1C", "1F", "1w", "1i", "1n:1", "1e:0", "1e:1", "1M:live", "1M:paper", "1S", "1r", "1l:5000", "1l:",
  "1d:sl:-20%", "1z:1", "1y", "1Y:0", "1Y:1", "1X:1", "1p:0", "1P:0",
];
const EVERY_COMMAND = ["/start", "/wallet", "/positions", "/settings", "/markets", "/help", "/search bitcoin"];

function forgedIdentity(r: R, id: number, victim: number, impostor: number, position: number): unknown {
  const data = r() < 0.3 ? forgedData(r, position) : pick(r, EVERY_ACTION);
  if (r() < 0.75) {
    return { update_id: id, callback_query: { id: `${victim}${id}`, from: user(victim, "Victim"), chat_instance: "-1", message: { message_id: 1 + (id % 1000), date: 1_790_000_000, chat: privateChat(impostor), text: "x" }, data } };
  }
  const text = pick(r, [...EVERY_COMMAND, `0x${"ab".repeat(32)}`, "123456"]);
  return message(victim, text, id, privateChat(impostor), user(victim, "Victim"));
}

/** The suite's one seeded PRNG (test/support/prng.ts), so a fuzz run can be replayed. */
export const rng = prng;

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: R, n: number) => Math.floor(r() * n);

export const INJECTIONS: readonly string[] = [
  "<b>bold</b> <i>it</i> <a href=\"javascript:alert(1)\">click</a>",
  "</code></pre><script>alert(document.cookie)</script>",
  "<tg-spoiler>x</tg-spoiler> & &amp; &lt; &gt; \" '",
  "<a href=\"tg://user?id=1\">admin</a><blockquote expandable>q",
  "*bold* _italic_ __under__ ~strike~ ||spoiler|| `code` ```pre```",
  "[click me](http://evil.example/phish) ![img](x)",
  "\\*escaped\\* \\_ \\[ \\] \\( \\) \\~ \\` \\> \\# \\+ \\- \\= \\| \\{ \\} \\. \\!",
  "/search <b>bitcoin</b>",
  "/start <img src=x onerror=alert(1)>",
  "‮reversed‬ \u0000 nul \u200b zero-width 🧨💥",
];

function randomJson(r: R, depth = 0): unknown {
  const k = int(r, depth > 2 ? 5 : 7);
  if (k === 0) return null;
  if (k === 1) return r() < 0.5;
  if (k === 2) return (r() - 0.5) * 10 ** int(r, 20);
  if (k === 3) return "x".repeat(int(r, 40));
  if (k === 4) return int(r, 2 ** 31);
  if (k === 5) return Array.from({ length: int(r, 5) }, () => randomJson(r, depth + 1));
  return Object.fromEntries(Array.from({ length: int(r, 5) }, (_, i) => [pick(r, ["update_id", "message", "callback_query", "from", "chat", `k${i}`]), randomJson(r, depth + 1)]));
}

const user = (id: number, firstName = "Mallory") => ({ id, is_bot: false, first_name: firstName });
const privateChat = (id: number) => ({ id, type: "private", first_name: "Mallory" });
const message = (id: number, text: string, updateId: number, chat: object = privateChat(id), from: object = user(id)) => ({
  update_id: updateId,
  message: { message_id: 1 + (updateId % 100_000), date: 1_790_000_000, chat, from, text },
});

function callback(attacker: number, data: string, updateId: number, firstName = "Mallory") {
  return {
    update_id: updateId,
    callback_query: {
      id: `${attacker}${updateId}`,
      from: user(attacker, firstName),
      chat_instance: "-1",
      // Telegram sends an old message as InaccessibleMessage: chat, id and date 0.
      message: { message_id: 1, chat: privateChat(attacker), date: 0 },
      data,
    },
  };
}

function forgedData(r: R, position: number): string {
  return pick(r, [`1s:${position}:10000`, `1s:${position}:2500`, `1o:${position}`, `1g:${position}:tp`, `1G:${position}:tp:+25%`, `1G:${position}:sl:-10%`, `1x:${position}:tp`, `1x:${position}:sl`, `1G:${position}:tr:5c`]);
}

const BAD_CALLBACKS = ["", "1", "2s:1:10000", "1s:-1:10000", "1s:99999999999999999999:1", "1s:1:10000:extra", "1k:../../etc", "1z:1", "1M:god", `1k:${"a".repeat(80)}`, "1s:1e3:10000", "💥", "1l:999999"];

function badShape(r: R, id: number, attacker: number): unknown {
  return pick(r, [
    { update_id: String(id), message: message(attacker, "hi", id).message },
    { update_id: -id, message: message(attacker, "hi", id).message },
    { update_id: id + 0.5 },
    { update_id: 2 ** 64, message: message(attacker, "hi", id).message },
    { message: message(attacker, "hi", id).message },
    { update_id: id, message: { text: "no chat", date: 1 } },
    { update_id: id, message: { message_id: 1, date: 1, chat: { id: "x", type: "private" }, text: "bad chat" } },
    { update_id: id, message: message(attacker, "hi", id, privateChat(attacker), { id: -attacker, is_bot: false, first_name: "neg" }).message },
    { update_id: id, message: message(attacker, "hi", id, privateChat(attacker), { id: 0, is_bot: false, first_name: "zero" }).message },
    { update_id: id, callback_query: { id: "", from: user(attacker), data: "1h" } },
    { update_id: id, callback_query: { id: "q", from: { id: attacker }, data: "1h" } },
    { update_id: id, message: message(attacker, "bot", id, privateChat(attacker), { id: attacker, is_bot: true, first_name: "Bot" }).message },
  ]);
}

function otherKind(r: R, id: number, attacker: number): unknown {
  return pick(r, [
    { update_id: id, channel_post: { message_id: 1, date: 1, chat: { id: -100123, type: "channel" }, text: "post" } },
    { update_id: id, inline_query: { id: "iq", from: user(attacker), query: "x", offset: "" } },
    { update_id: id, my_chat_member: { chat: privateChat(attacker), from: user(attacker), date: 1 } },
    { update_id: id, edited_message: message(attacker, pick(r, INJECTIONS), id).message },
    { update_id: id, message: { ...message(attacker, "", id).message, text: undefined, photo: [{ file_id: "x", width: 1, height: 1 }] } },
  ]);
}

/** The i-th hostile update; kinds cycle so every kind appears in any run of 14 or more. */
export function fuzzItem(i: number, t: FuzzTargets, seed = 1): FuzzItem {
  const r = rng(seed * 1_000_003 + i);
  const id = 900_000_000 + i;
  const attacker = pick(r, t.attackers);
  const kinds: FuzzKind[] = ["random-json", "not-json", "bad-shape", "huge-text", "max-text", "html-injection", "markdown-injection", "forged-callback", "bad-callback", "other-kind", "group-chat", "replay", "wrong-secret", "no-secret"];
  // Forged buttons and forged identities are the most dangerous kinds: they take a larger share.
  const kind = i % 4 === 3 ? "forged-callback" : i % 4 === 1 ? "forged-identity" : kinds[Math.floor(i / 2) % kinds.length]!;
  const ok = (body: unknown): FuzzItem => ({ kind, body: typeof body === "string" ? body : JSON.stringify(body), secret: "valid", expect: 200 });
  switch (kind) {
    case "random-json": return ok(JSON.stringify(randomJson(r)));
    case "not-json": return ok(pick(r, ["{", "{\"update_id\":", "\u0000\u0001\u0002", "undefined", "{'a':1}", "[1,2,", "<xml/>", "".padEnd(int(r, 2000), "}")]));
    case "bad-shape": return ok(badShape(r, id, attacker));
    case "huge-text": return ok(message(attacker, pick(r, INJECTIONS).repeat(1 + int(r, 3)) + "A".repeat(4_097 + int(r, 200_000)), id));
    case "max-text": return ok(message(attacker, "B".repeat(4_096), id));
    case "html-injection": return ok(r() < 0.5 ? message(attacker, pick(r, INJECTIONS.slice(0, 4)), id) : callback(attacker, "1h", id, pick(r, INJECTIONS.slice(0, 4)).slice(0, 60)));
    case "markdown-injection": return ok(message(attacker, pick(r, INJECTIONS.slice(4)), id));
    case "forged-callback": return ok(callback(attacker, forgedData(r, pick(r, t.victimPositions)), id));
    case "bad-callback": return ok(callback(attacker, pick(r, BAD_CALLBACKS), id));
    case "other-kind": return ok(otherKind(r, id, attacker));
    case "group-chat": return ok(message(attacker, "/start", id, { id: -4_000_000_000 - int(r, 1000), type: "group", title: "<b>g</b>" }));
    case "replay": return ok(callback(attacker, forgedData(r, pick(r, t.victimPositions)), t.replayIds.length ? pick(r, t.replayIds) : id));
    case "wrong-secret": return { kind, body: JSON.stringify(callback(attacker, forgedData(r, pick(r, t.victimPositions)), id)), secret: "wrong", expect: 401 };
    case "no-secret": return { kind, body: JSON.stringify(message(attacker, "/start", id)), secret: "none", expect: 401 };
    case "forged-identity": return ok(forgedIdentity(r, id, pick(r, t.victimTelegramIds), pick(r, t.impostorChats), pick(r, t.victimPositions)));
  }
}
