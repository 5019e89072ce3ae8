// A simulated Telegram user driving the bot through the Bot API stand-in (updates go to the
// Worker's webhook with the secret, like Telegram's): open a market by link, preview, confirm, sell.
import type { ChatView, Delivery, MessageView, Notice, SimDelivery } from "../telegram/bot-api-types";
import type { SimUser } from "../telegram/updates";
import { type Chaos, ChaosError, waitUntil } from "./harness";
import type { ChaosMarket } from "./seed";

/** What the user saw after pressing Confirm (or Sell). */
/** toast: only a short answer (e.g. "already placed", "preview expired"); pending: no answer in time. */
export type TradeOutcome = "done" | "refused" | "failed" | "unavailable" | "toast" | "pending";

export const UNAVAILABLE = /temporarily unavailable\. Try again/;
const DONE = /✅ <b>(Bought|Sold)|(Bought|Sold) \d/;
const REFUSED = /❌ <b>Not (bought|sold)/;
const FAILED = /Something went wrong/;
/** Outcomes a webhook answer may take at most this long to reach the chat (background work included). */
const RESULT_TIMEOUT_MS = 60_000;

export class BotUser {
  /** Every webhook delivery this user caused (attempt statuses are checked for 5xx). */
  readonly deliveries: Delivery[] = [];

  constructor(private readonly c: Chaos, readonly user: SimUser) {}

  static make(c: Chaos, id: number, name = "Chaos"): BotUser {
    return new BotUser(c, { id, first_name: `${name} ${id % 100_000}` });
  }

  get id(): number {
    return this.user.id;
  }

  chat(): ChatView | undefined {
    return this.c.botApi.chat(this.user.id);
  }

  message(id: number): MessageView | undefined {
    return this.chat()?.messages.find((m) => m.id === id);
  }

  lastBot(): MessageView | undefined {
    return this.chat()?.messages.filter((m) => m.from === "bot").at(-1);
  }

  notice(queryId: string): Notice | undefined {
    return this.chat()?.notices.find((n) => n.queryId === queryId);
  }

  private track(d: SimDelivery): SimDelivery {
    if (d.outcome !== "held") this.deliveries.push(d as Delivery);
    return d;
  }

  async command(command: string, args?: string): Promise<SimDelivery> {
    return this.track(await this.c.botApi.sendCommand(this.user, command, args));
  }

  async say(text: string): Promise<SimDelivery> {
    return this.track(await this.c.botApi.sendText(this.user, text));
  }

  /** Presses a button (by label, or by exact callback data); answers the delivery and its query id. */
  async press(query: { label?: string; callbackData?: string; messageId?: number }): Promise<{ delivery: SimDelivery; queryId: string }> {
    const d = this.track(await this.c.botApi.pressButton(this.user, query));
    return { delivery: d, queryId: d.update.callback_query?.id ?? "" };
  }

  /** The market card through a pasted polymarket.com link. */
  async openMarket(m: ChaosMarket): Promise<MessageView> {
    await this.say(`https://polymarket.com/market/${m.slug}`);
    const card = this.lastBot();
    if (!card || !card.buttons.flat().some((b) => b.text === "Buy Yes")) throw new ChaosError(`no market card for ${m.slug} in chat ${this.id}: ${card?.text.slice(0, 120) ?? "(nothing)"}`);
    return card;
  }

  /** Card → Buy Yes → amount → a preview with Confirm; answers the preview's message id and intent. */
  async preview(m: ChaosMarket, amountLabel = "$10"): Promise<{ messageId: number; confirmData: string }> {
    const card = await this.openMarket(m);
    await this.press({ label: "Buy Yes", messageId: card.id });
    await this.press({ label: amountLabel, messageId: card.id });
    const preview = this.message(card.id);
    const confirm = preview?.buttons.flat().find((b) => b.text === "Confirm");
    if (!preview || !confirm?.callback_data) throw new ChaosError(`no Confirm in chat ${this.id}: ${preview?.text.slice(0, 160) ?? "(nothing)"}`);
    return { messageId: card.id, confirmData: confirm.callback_data };
  }

  /** What a trade message (edited in place from "⏳ …") says now. */
  outcomeOf(messageId: number, queryId: string): TradeOutcome {
    const n = this.notice(queryId);
    if (n?.text && UNAVAILABLE.test(n.text)) return "unavailable";
    const m = this.message(messageId);
    const html = m?.html ?? "";
    if (DONE.test(html)) return "done";
    if (REFUSED.test(html)) return "refused";
    if (FAILED.test(html)) return "failed";
    return "pending";
  }

  /** Presses a trade button (Confirm, Sell …) and waits until the message shows a final outcome. */
  async trade(query: { label?: string; callbackData?: string; messageId: number }, timeoutMs = RESULT_TIMEOUT_MS): Promise<{ outcome: TradeOutcome; queryId: string }> {
    const { queryId } = await this.press(query);
    const outcome = await waitUntil(
      () => {
        const o = this.outcomeOf(query.messageId, queryId);
        if (o !== "pending") return o;
        const n = this.notice(queryId);
        const working = /Placing|Selling/.test(n?.text ?? "") || (this.message(query.messageId)?.text.includes("⏳") ?? false);
        return n && !working ? ("toast" as const) : undefined;
      },
      `the outcome of a trade in chat ${this.id}`,
      timeoutMs,
      50,
    ).catch(() => "pending" as const);
    return { outcome, queryId };
  }
}

/** Every webhook attempt status these users' deliveries saw (0 = no answer). */
export function attemptStatuses(users: readonly BotUser[]): number[] {
  return users.flatMap((u) => u.deliveries.flatMap((d) => d.attempts.map((a) => a.status ?? 0)));
}
