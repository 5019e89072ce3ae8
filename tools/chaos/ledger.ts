// The paper ledger's invariants, checked exactly (bigint micros) from rows read straight from Postgres:
// cash + Σ position value = deposits + realised + unrealised P&L, and everything agrees with the orders.
import { toMicros } from "../../workers/money/micros";
import { type Chaos, rows } from "./harness";

export interface LedgerUser {
  id: number;
  cash: bigint;
  deposits: bigint;
}

export interface LedgerPosition {
  id: number;
  tokenId: string;
  status: string;
  shares: bigint;
  cost: bigint;
  realized: bigint;
  price: bigint | null;
  pnl: bigint | null;
}

export interface LedgerOrder {
  positionId: number | null;
  side: "BUY" | "SELL";
  status: string;
  shares: bigint;
  usdc: bigint;
  fees: bigint;
  realized: bigint | null;
}

/** Less than this is dust: a sell that leaves it closes the position (position-math.ts). */
const DUST: bigint = 10_000n;
const FILLED = new Set(["filled", "partially_filled"]);

/** round(x / 10^6) half away from zero, as Postgres' round(numeric, 6) does for a 10^-12 value. */
export function roundMicros(pico: bigint): bigint {
  const q = pico / 1_000_000n;
  const r = pico % 1_000_000n;
  if (r >= 500_000n) return q + 1n;
  if (r <= -500_000n) return q - 1n;
  return q;
}

export interface LedgerSummary {
  /** cash + Σ open position value at the stored prices (micros). */
  equity: bigint;
  realized: bigint;
  unrealized: bigint;
  violations: string[];
}

/** Every invariant of one paper account; violations name the user and what broke. */
export function checkLedger(u: LedgerUser, positions: readonly LedgerPosition[], orders: readonly LedgerOrder[]): LedgerSummary {
  const v: string[] = [];
  const bad = (what: string) => v.push(`user ${u.id}: ${what}`);
  if (u.cash < 0n) bad(`cash ${u.cash} < 0`);
  const open = positions.filter((p) => p.status !== "closed");
  const tokens = new Set<string>();
  for (const p of open) {
    if (tokens.has(p.tokenId)) bad(`two open positions on token …${p.tokenId.slice(-6)}`);
    tokens.add(p.tokenId);
  }
  let realized = 0n;
  let openCost = 0n;
  let unrealized = 0n;
  let value = 0n;
  for (const p of positions) {
    realized += p.realized;
    if (p.shares < 0n || p.cost < 0n) bad(`position ${p.id} has ${p.shares} shares, cost ${p.cost}`);
    const mine = orders.filter((o) => o.positionId === p.id && FILLED.has(o.status));
    const bought = mine.filter((o) => o.side === "BUY").reduce((n, o) => n + o.shares, 0n);
    const sold = mine.filter((o) => o.side === "SELL").reduce((n, o) => n + o.shares, 0n);
    const orderRealized = mine.filter((o) => o.side === "SELL").reduce((n, o) => n + (o.realized ?? 0n), 0n);
    if (bought > 0n || sold > 0n) {
      const held = bought - sold;
      const agrees = p.status === "closed" ? p.shares === 0n && held >= 0n && held < DUST : p.shares === held;
      if (!agrees) bad(`position ${p.id} holds ${p.shares} shares, its orders say ${held}`);
      if (orderRealized !== p.realized) bad(`position ${p.id} realised ${p.realized}, its orders say ${orderRealized}`);
    }
    if (p.status === "closed") continue;
    openCost += p.cost;
    if (p.price !== null) {
      const pico = p.shares * p.price;
      const expectedPnl = roundMicros(pico - p.cost * 1_000_000n);
      if (p.pnl !== expectedPnl) bad(`position ${p.id} P&L ${p.pnl}, expected ${expectedPnl} at ${p.price}`);
      unrealized += expectedPnl;
      value += p.cost + expectedPnl;
    } else {
      value += p.cost;
    }
  }
  // The identity: cash + Σ value = deposits + realised + unrealised, i.e. cash + Σ open cost = deposits + realised.
  if (u.cash + value !== u.deposits + realized + unrealized) bad(`cash ${u.cash} + value ${value} ≠ deposits ${u.deposits} + realised ${realized} + unrealised ${unrealized}`);
  if (u.cash + openCost !== u.deposits + realized) bad(`cash ${u.cash} + open cost ${openCost} ≠ deposits ${u.deposits} + realised ${realized}`);
  const filled = orders.filter((o) => FILLED.has(o.status));
  const flow = filled.reduce((n, o) => (o.side === "BUY" ? n - o.usdc - o.fees : n + o.usdc - o.fees), 0n);
  if (u.cash !== u.deposits + flow) bad(`cash ${u.cash} ≠ deposits ${u.deposits} + order flow ${flow}`);
  return { equity: u.cash + value, realized, unrealized, violations: v };
}

const m = (s: unknown): bigint => toMicros(String(s), "half-up");
const mOpt = (s: unknown): bigint | null => (s === null || s === undefined ? null : m(s));

/** Loads and checks the paper accounts of these Telegram users (their current epoch). */
export async function checkPaperLedgers(c: Chaos, telegramIds: readonly number[]): Promise<{ users: number; positions: number; summaries: LedgerSummary[] }> {
  const users = await rows(c, "SELECT id, paper_cash, paper_deposits, paper_epoch FROM users WHERE telegram_id = ANY($1::bigint[])", [telegramIds]);
  const ids = users.map((u) => Number(u.id));
  const ps = await rows(c, "SELECT p.* FROM positions p JOIN users u ON u.id = p.user_id WHERE p.user_id = ANY($1::bigint[]) AND p.mode = 'paper' AND p.paper_epoch = u.paper_epoch", [ids]);
  const os = await rows(c, "SELECT * FROM orders WHERE user_id = ANY($1::bigint[]) AND mode = 'paper'", [ids]);
  const summaries = users.map((u) => {
    const id = Number(u.id);
    const positions: LedgerPosition[] = ps
      .filter((p) => Number(p.user_id) === id)
      .map((p) => ({ id: Number(p.id), tokenId: String(p.token_id), status: String(p.status), shares: m(p.shares), cost: m(p.cost_basis), realized: m(p.realized_pnl), price: mOpt(p.current_price), pnl: mOpt(p.pnl_amount) }));
    const orders: LedgerOrder[] = os
      .filter((o) => Number(o.user_id) === id)
      .map((o) => ({ positionId: o.position_id === null ? null : Number(o.position_id), side: o.side as "BUY" | "SELL", status: String(o.status), shares: m(o.filled_shares), usdc: m(o.filled_amount), fees: m(o.fees), realized: mOpt(o.realized_pnl) }));
    return checkLedger({ id, cash: m(u.paper_cash), deposits: m(u.paper_deposits) }, positions, orders);
  });
  return { users: users.length, positions: ps.length, summaries };
}
