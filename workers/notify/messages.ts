// Messages sent without being asked (trigger fired, sell failed, market resolved): pure renderers,
// and notifyUser, which the streamer and the cron call without grammY's bot machinery.
import type { Micros } from "../money/micros";
import type { TradeResult } from "../trading/results";
import { type BotApiAnswer, type BotApiSettings, callBotApi, type CallOptions } from "../telegram/bot-api";
import { cents, shares, signedUsd, sourceLabel, usd } from "../telegram/format";
import { TRIGGER_LABELS, type TriggerKind } from "../triggers/types";
import { button, type Screen, screen, toMarkup } from "../telegram/screen";
import { clip, html } from "../telegram/html";

export type Notification =
  | {
      kind: "trigger_fired";
      trigger: TriggerKind;
      positionId: number;
      question: string;
      outcome: string;
      /** The best bid that crossed the level, and where it came from. */
      bid: Micros;
      source: string;
      /** What the sale did; absent when it could not be placed at all (then `error` says why). */
      result?: TradeResult;
      error?: string;
      /** The trigger is armed again and retried after this long. */
      retryInMs?: number;
    }
  | {
      kind: "market_resolved";
      positionId: number;
      question: string;
      outcome: string;
      winningOutcome: string | null;
      shares: Micros;
      payout: Micros;
      realizedPnl: Micros;
      mode: "paper" | "live";
    };

const posButtons = (positionId: number) => [[button("View position", { a: "position", position: positionId }), button("Positions", { a: "positions", page: 0 })]];
/** A stop that sold only part within its floor (or nothing: the market gapped below it) offers the rest at the market. */
const sellRestButtons = (positionId: number) => [[button("Sell the rest at the market", { a: "sell", position: positionId, bps: 10_000 })], ...posButtons(positionId)];

const waitText = (ms: number) => (ms < 90_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`);

/** A take profit is a target reached; a stop is not. */
const FIRE_ICON: Record<TriggerKind, string> = { take_profit: "🎯", stop_loss: "🛑", trailing_stop: "📉" };

function firedScreen(n: Extract<Notification, { kind: "trigger_fired" }>): Screen {
  const name = TRIGGER_LABELS[n.trigger];
  const what = html`<b>${clip(n.outcome, 40)}</b> · ${clip(n.question, 200)}`;
  const seen = `The best bid reached ${cents(n.bid)} (${sourceLabel(n.source)}).`;
  const r = n.result;
  if (!r || r.status === "rejected") {
    const why = r ? r.message : (n.error ?? "unknown error");
    const retry = n.retryInMs !== undefined ? `It is tried again in ${waitText(n.retryInMs)} (and after that with growing pauses) while the level is still crossed; you are not told again unless it sells.` : "The level stays armed unless you remove it.";
    const gapped = n.trigger !== "take_profit" && r?.status === "rejected" && r.reason === "slippage_exceeded";
    return screen(
      [html`⚠️ <b>${name} hit, but the sell failed.</b>`, what, seen, html`Why: ${clip(why, 300)}`, gapped ? "The market is below your stop's floor, so nothing was sold at a price you did not accept." : null, "The position is still open.", retry],
      gapped ? sellRestButtons(n.positionId) : posButtons(n.positionId),
    );
  }
  if (r.status === "in_flight") {
    return screen([html`⏳ <b>${name} hit: sell sent, not confirmed yet.</b>`, what, seen, clip(r.message, 300)], posButtons(n.positionId));
  }
  const partial = r.status === "partially_filled";
  return screen(
    [
      html`${partial ? "⚠️" : FIRE_ICON[n.trigger]} <b>${name} hit: ${partial ? "partly sold" : "sold"}</b>`,
      what,
      seen,
      `Sold ${shares(r.shares)} shares at avg ${cents(r.avgPrice)} for ${usd(r.usdc)}.`,
      r.realizedPnl === null ? null : html`Realised P&amp;L: <b>${signedUsd(r.realizedPnl)}</b>`,
      partial ? `Still held: ${shares(r.position.shares)} shares (the book took only part within your bound); the level stays armed.` : null,
    ],
    partial && n.trigger !== "take_profit" ? sellRestButtons(n.positionId) : posButtons(n.positionId),
  );
}

function resolvedScreen(n: Extract<Notification, { kind: "market_resolved" }>): Screen {
  const won = n.payout > 0n;
  return screen(
    [
      html`🏁 <b>Market resolved${n.winningOutcome ? html`: ${clip(n.winningOutcome, 40)}` : ""}</b>`,
      clip(n.question, 200),
      html`Your ${shares(n.shares)} <b>${clip(n.outcome, 40)}</b> shares ${won ? `pay ${usd(n.payout)}` : "pay nothing"}.`,
      html`Realised P&amp;L: <b>${signedUsd(n.realizedPnl)}</b>`,
      won && n.mode === "live" ? "Redeem the winning shares on polymarket.com to receive the pUSD." : null,
    ],
    posButtons(n.positionId),
  );
}

/** The message for a notification (pure). */
export function renderNotification(n: Notification): Screen {
  return n.kind === "trigger_fired" ? firedScreen(n) : resolvedScreen(n);
}

/** Sends a notification to a chat. Telegram errors are returned (and logged by the caller), never thrown. */
export async function notifyUser(settings: BotApiSettings, chatId: number, n: Notification, opts: CallOptions = {}): Promise<BotApiAnswer> {
  const s = renderNotification(n);
  return callBotApi(settings, "sendMessage", { chat_id: chatId, text: s.text, parse_mode: "HTML", reply_markup: toMarkup(s.keyboard) }, opts);
}

export type Sent = { ok: true; messageId: number } | { ok: false; description: string };

/** Sends a screen; `protectContent` keeps Telegram from forwarding or saving it (key material). */
export async function sendScreen(settings: BotApiSettings, chatId: number, s: Screen, opts: CallOptions & { protectContent?: boolean } = {}): Promise<Sent> {
  const r = await callBotApi(
    settings,
    "sendMessage",
    { chat_id: chatId, text: s.text, parse_mode: "HTML", reply_markup: toMarkup(s.keyboard), link_preview_options: { is_disabled: true }, ...(opts.protectContent ? { protect_content: true } : {}) },
    opts,
  );
  if (!r.ok) return { ok: false, description: r.description };
  const id = (r.result as { message_id?: unknown } | null)?.message_id;
  return typeof id === "number" ? { ok: true, messageId: id } : { ok: false, description: "no message id in the answer" };
}

/** The exported key (sent 10 minutes after the PIN), shown behind a spoiler and deleted after `ttlMs`. */
export function keyMessage(address: string, key: string, ttlMs: number): Screen {
  return screen([
    html`🔑 Private key of <code>${address}</code>:`,
    html`<tg-spoiler><code>${key}</code></tg-spoiler>`,
    `This message is deleted in ${Math.round(ttlMs / 1000)} seconds. Copy it somewhere safe and offline. If it is still here after that, delete it yourself.`,
  ]);
}

export function exportFailedMessage(why: string): Screen {
  return screen([html`⚠️ <b>Your key was not sent.</b> ${clip(why, 300)}`], [[button("Wallet", { a: "wallet" })]]);
}

export function pinResetMessage(): Screen {
  return screen([html`🔐 <b>Your PIN was reset</b>, 24 hours after you asked.`, "Set a new one in Wallet before you export a key or switch to live trading."], [[button("Wallet", { a: "wallet" })]]);
}
