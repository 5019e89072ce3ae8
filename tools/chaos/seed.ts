// Seeding for the scenarios that are not about the bot: markets handed out per scenario, deep books
// at the local Polymarket, and users, positions and triggers written straight into Postgres.
import { type Chaos, ChaosError, admin, rows, streamer, waitUntil } from "./harness";

export interface ChaosMarket {
  id: string;
  slug: string;
  question: string;
  tokenIds: [string, string];
  outcomes: [string, string];
}

/** Simple Yes/No markets on a one-cent tick, synced into Postgres, handed out once each. */
export class MarketPool {
  private next = 0;
  constructor(private readonly list: ChaosMarket[]) {}

  static async load(c: Chaos): Promise<MarketPool> {
    const synced = await rows<{ id: string; slug: string | null; question: string }>(c, "SELECT id, slug, question FROM markets WHERE NOT closed AND accepting_orders");
    const byId = new Map(synced.map((m) => [m.id, m]));
    const list: ChaosMarket[] = [];
    for (const m of c.pm.markets()) {
      const row = byId.get(m.id);
      if (!row?.slug || m.closed || m.negRisk || m.version !== "v1" || m.tickSize !== "0.01") continue;
      if (m.outcomes[0] !== "Yes" || m.outcomes[1] !== "No") continue;
      list.push({ id: m.id, slug: row.slug, question: row.question, tokenIds: m.tokenIds, outcomes: m.outcomes });
    }
    return new MarketPool(list);
  }

  get left(): number {
    return this.list.length - this.next;
  }

  take(n: number): ChaosMarket[] {
    if (this.left < n) throw new ChaosError(`need ${n} more markets, ${this.left} left (raise marketCount)`);
    const out = this.list.slice(this.next, this.next + n);
    this.next += n;
    return out;
  }
}

const cents = (n: number) => (n / 100).toFixed(2);

/**
 * A deep book around `bidCents` on the Yes token: levels of `size` shares every cent for a few
 * cents, so a $10–$50 buy or a 20-share sell fills at the top without walking far.
 */
export function deepBook(c: Chaos, tokenId: string, bidCents: number, size = "100000"): void {
  const bids = [0, 1, 2, 3, 4].map((k) => ({ price: cents(bidCents - k), size }));
  const asks = [1, 2, 3, 4, 5].map((k) => ({ price: cents(bidCents + k), size }));
  c.pm.setBook(tokenId, { bids, asks });
}

/** Moves the Yes token's best bid to `bidCents` (ask one cent above) with deep top levels. */
export function movePrice(c: Chaos, tokenId: string, bidCents: number): void {
  c.pm.movePrice(tokenId, { bid: cents(bidCents), ask: cents(bidCents + 1), size: "100000" });
}

export async function insertUser(c: Chaos, telegramId: number, mode: "paper" | "live" = "paper"): Promise<number> {
  const [r] = await rows<{ id: string }>(
    c,
    `INSERT INTO users (telegram_id, chat_id, first_name, mode, paper_cash, paper_deposits) VALUES ($1, $1, 'Chaos', $2, 1000, 1000) RETURNING id`,
    [telegramId, mode],
  );
  // The stand-in knows the chat, so the bot's notices to this user (a trigger fired) are delivered.
  c.botApi.chats.ensure({ id: telegramId, first_name: "Chaos" });
  return Number(r!.id);
}

export interface SeededPosition {
  id: number;
  userId: number;
  market: ChaosMarket;
  tokenId: string;
}

/**
 * An open position of 20 Yes shares bought at 50¢ ($10), booked as a buy would book it: a filled
 * BUY order and, on paper, the cash paid — so the ledger's invariants hold from the start.
 */
export async function insertPosition(c: Chaos, userId: number, market: ChaosMarket, mode: "paper" | "live" = "paper"): Promise<SeededPosition> {
  const [r] = await rows<{ id: string }>(
    c,
    `INSERT INTO positions (user_id, market_id, token_id, outcome, mode, shares, cost_basis, avg_price) VALUES ($1, $2, $3, 'Yes', $4, 20, 10, 0.5) RETURNING id`,
    [userId, market.id, market.tokenIds[0], mode],
  );
  const id = Number(r!.id);
  await rows(
    c,
    `INSERT INTO orders (client_order_id, user_id, position_id, market_id, token_id, mode, side, order_type, requested_amount, worst_price, status, filled_shares, filled_amount, avg_price, settled_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'BUY', 'FOK', 10, 0.51, 'filled', 20, 10, 0.5, now())`,
    [`chaos-seed:${id}`, userId, id, market.id, market.tokenIds[0], mode],
  );
  if (mode === "paper") await rows(c, "UPDATE users SET paper_cash = paper_cash - 10 WHERE id = $1", [userId]);
  return { id, userId, market, tokenId: market.tokenIds[0] };
}

export type LevelKind = "take_profit" | "stop_loss";

/** `anyPrice`: a stop the trader set to sell at any price (else a stop-limit that never sells below level × 95 %). */
export async function insertTrigger(c: Chaos, p: SeededPosition, kind: LevelKind, priceCents: number, anyPrice = false): Promise<number> {
  const [r] = await rows<{ id: string }>(
    c,
    `INSERT INTO triggers (position_id, user_id, token_id, kind, price, spec, any_price) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [p.id, p.userId, p.tokenId, kind, cents(priceCents), `${priceCents}¢`, anyPrice],
  );
  return Number(r!.id);
}

/** Has the streamer re-read positions and triggers, then waits until it holds books for all of them. */
export async function armStreamer(c: Chaos, tokens: readonly string[], minArmed: number, timeoutMs = 120_000): Promise<void> {
  await admin(c, "POST", "/admin/streamer/reconcile");
  await waitUntil(
    async () => {
      const s = await streamer(c);
      const subs = new Set(s.subscriptions);
      return s.triggers.armed >= minArmed && tokens.every((t) => subs.has(t)) && s.connected;
    },
    `the streamer to subscribe ${tokens.length} tokens and arm ${minArmed} triggers`,
    timeoutMs,
    250,
  );
}
