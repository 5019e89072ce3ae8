// A simulated Telegram user driving the bot through the Bot API stand-in (updates go to the
// Worker's webhook with the secret, like Telegram's): open a market by link, preview, confirm, sell.
import type { ChatView, Delivery, MessageView, Notice, SimDelivery } from "../telegram/bot-api-types";
import type { SimUser } from "../telegram/updates";
import { type Chaos, ChaosError, waitUntil } from "./harness";
import type { ChaosMarket } from "./seed";

/** What the user saw after pressing Confirm (or Sell). */
/**
 * in_flight: sent to the venue, outcome not known yet; toast: only a short answer (e.g. "already
 * placed", "preview expired"); pending: no answer in time.
 */
export type TradeOutcome = "done" | "refused" | "failed" | "in_flight" | "unavailable" | "toast" | "pending";

export const UNAVAILABLE = /temporarily unavailable\. Try again/;
/** A fill, whole or partial ("⚠️ Partly filled" / "⚠️ Partly sold" when the book took only part). */
const DONE = /✅ <b>(Bought|Sold)|⚠️ <b>Partly (filled|sold)|(Bought|Sold) \d/;
const REFUSED = /❌ <b>Not (bought|sold)/;
const FAILED = /Something went wrong/;
const IN_FLIGHT = /Sent to Polymarket, not confirmed yet/;
/** Outcomes a webhook answer may take at most this long to reach the chat (background work included). */
const RESULT_TIMEOUT_MS = 60_000;

export class BotUser {
  /** Every webhook delivery this user caused (attempt statuses are checked for 5xx). */
  readonly deliveries: Delivery[] = [];
  /** Presses the bot never acted on (the user had to press again). */
  readonly lostPresses: string[] = [];

  constructor(private readonly c: Pick<Chaos, "botApi">, readonly user: SimUser) {}

  static make(c: Pick<Chaos, "botApi">, id: number, name = "Chaos"): BotUser {
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

  /**
   * Presses a button expected to change the message into one showing `expect` (a label); a press
   * that changed nothing is counted as lost and pressed again, as a person would.
   */
  async step(messageId: number, label: string, expect: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { queryId } = await this.press({ label: this.labelOn(messageId, label), messageId });
      if (this.message(messageId)?.buttons.flat().some((b) => sameLabel(b.text, expect))) return;
      this.lostPresses.push(`${label} (answer: ${this.notice(queryId)?.text ?? "none"})`);
    }
    throw new ChaosError(`"${label}" never showed "${expect}" in chat ${this.id}: ${this.message(messageId)?.text.slice(0, 120)}`);
  }

  /** The button's text on the message: exactly `label`, or a preset that names its price ("+25% (63¢)" for "+25%"). */
  private labelOn(messageId: number, label: string): string {
    return this.message(messageId)?.buttons.flat().find((b) => sameLabel(b.text, label))?.text ?? label;
  }

  /** Card → Buy Yes → amount → a preview with Confirm; answers the preview's message id and intent. */
  async preview(m: ChaosMarket, amountLabel = "$10"): Promise<{ messageId: number; confirmData: string }> {
    const card = await this.openMarket(m);
    await this.step(card.id, "Buy Yes", amountLabel);
    await this.step(card.id, amountLabel, "Confirm");
    const confirm = this.message(card.id)!.buttons.flat().find((b) => b.text === "Confirm")!;
    return { messageId: card.id, confirmData: confirm.callback_data! };
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
    if (IN_FLIGHT.test(html)) return "in_flight";
    return "pending";
  }

  /**
   * Presses a trade button (Confirm, Sell …) and waits until the message shows a final outcome. A
   * Sell button shows a preview first: its Confirm is pressed (no Confirm: the Sell press's answer is the outcome).
   */
  async trade(query: { label?: string; callbackData?: string; messageId: number }, timeoutMs = RESULT_TIMEOUT_MS): Promise<{ outcome: TradeOutcome; queryId: string }> {
    let { queryId } = await this.press(query);
    if (query.label?.startsWith("Sell ") && this.message(query.messageId)?.buttons.flat().some((b) => b.text === "Confirm")) {
      ({ queryId } = await this.press({ label: "Confirm", messageId: query.messageId }));
    }
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

/** A preset button shows the price it means after its label: "+25% (63¢)" is the "+25%" button. */
function sameLabel(text: string, label: string): boolean {
  return text === label || text.startsWith(`${label} (`);
}
