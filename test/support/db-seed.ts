// Test data builders for the real database (unique ids per call, so tests never collide).
import type { Db } from "../../workers/db/client";
import { markets, marketTokens, positions, users } from "../../workers/db/schema";
import { div, fromMicros, toMicros } from "../../workers/money/micros";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** A 77-78 digit decimal token id, as Polymarket's are. */
export function fakeTokenId(): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  while (s.length < 77) s += Math.floor(Math.random() * 10);
  return s;
}

export interface SeededMarket {
  id: string;
  conditionId: string;
  tokenIds: [string, string];
  outcomes: [string, string];
}

export async function seedMarket(db: Db, over: Partial<typeof markets.$inferInsert> = {}): Promise<SeededMarket> {
  const id = over.id ?? `m-${unique()}`;
  const tokenIds: [string, string] = [fakeTokenId(), fakeTokenId()];
  const outcomes: [string, string] = ["Yes", "No"];
  const conditionId = `0x${[...Array(64)].map(() => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("")}`;
  await db.insert(markets).values({
    id,
    conditionId,
    question: `Will test market ${id} resolve Yes?`,
    clobTokenIds: tokenIds,
    outcomes,
    outcomePrices: ["0.5", "0.5"],
    source: "gamma",
    ...over,
  });
  await db.insert(marketTokens).values(tokenIds.map((tokenId, i) => ({ tokenId, marketId: id, outcome: outcomes[i]!, outcomeIndex: i })));
  return { id, conditionId, tokenIds, outcomes };
}

export async function seedUser(db: Db, over: Partial<typeof users.$inferInsert> = {}): Promise<number> {
  const [row] = await db
    .insert(users)
    .values({ telegramId: 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000), paperCash: "1000", paperDeposits: "1000", ...over })
    .returning({ id: users.id });
  return row!.id;
}

export async function seedPosition(
  db: Db,
  p: { userId: number; market: SeededMarket; outcomeIndex?: 0 | 1; shares: string; costBasis: string; mode?: "paper" | "live" },
): Promise<number> {
  const i = p.outcomeIndex ?? 0;
  const [row] = await db
    .insert(positions)
    .values({
      userId: p.userId,
      marketId: p.market.id,
      tokenId: p.market.tokenIds[i],
      outcome: p.market.outcomes[i],
      mode: p.mode ?? "paper",
      shares: p.shares,
      costBasis: p.costBasis,
      avgPrice: fromMicros(div(toMicros(p.costBasis), toMicros(p.shares), "half-up")),
    })
    .returning({ id: positions.id });
  return row!.id;
}
