// Scenario 3's first act: the venue scenario's live users are new Polymarket accounts (deposit wallets) that
// the bot sets up through the relayer while it misbehaves: submits answered too late (the answer lost), transactions
// stuck in a pending state and then failed, transactions that fail outright. Each user presses Finish setup
// until told the wallet is ready. Invariants: every press ends in a sentence (0 silent), every wallet ends
// deployed and approved (0 lost), and no approval batch runs twice at the relayer (0 doubled).
import { BotUser } from "./bot-user";
import { type Chaos, pool, rows, sleep, waitUntil } from "./harness";
import type { Tally } from "./report";

export interface DepositUser {
  u: BotUser;
  userId: number;
}

/** A setup run follows a transaction for 30 s at most (workers/bot/ports.ts), plus a late submit's 10 s timeout. */
const RUN_ENDS_WITHIN_MS = 60_000;
const MAX_ROUNDS = 5;
const READY = "Your deposit wallet is deployed and approved";
const TOLD = /Setup not finished|already running|deployed and approved/;

/** The relayer misbehaves for the first transactions, in this order (each fault takes the next transaction). */
function armRelayerFaults(c: Chaos, users: number): { lines: string[]; ruleId: number } {
  const stuck = Math.max(1, Math.floor(users / 4));
  const failed = Math.max(1, Math.floor(users / 4));
  const hung = Math.max(1, Math.floor(users / 5));
  c.pm.relayerFault({ mode: "stuck", count: stuck, state: "STATE_MINED", ms: 2_000, errorMsg: "transaction dropped from the mempool" });
  c.pm.relayerFault({ mode: "fail", count: failed, errorMsg: "execution reverted" });
  // Answered after the Worker's 10 s timeout: the transaction exists, the Worker never learnt its id.
  const rule = c.pm.faults.add({ kind: "delay", route: "POST /relayer/submit", ms: 11_000, count: hung });
  return { lines: [`${stuck} stuck then failed`, `${failed} failed`, `${hung} submits answered too late`], ruleId: rule.id };
}

/** One press of Finish setup (from /wallet) and the sentence it ends with; null: the bot said nothing in time. */
async function finishSetup(c: Chaos, u: BotUser): Promise<string | null> {
  await u.command("wallet");
  const screen = u.lastBot();
  if (!screen) return null;
  if (screen.text.includes("Deployed and approved")) return READY;
  if (!screen.buttons.flat().some((b) => b.text === "Finish setup")) return `no Finish setup: ${screen.text.slice(0, 80)}`;
  await u.press({ label: "Finish setup", messageId: screen.id });
  return waitUntil(() => {
    const m = u.message(screen.id);
    return m && TOLD.test(m.text) ? m.text : undefined;
  }, `chat ${u.id} told how its setup ended`, RUN_ENDS_WITHIN_MS, 200).catch(() => null);
}

export async function onboardUnderRelayerFaults(c: Chaos, t: Tally, users: DepositUser[]): Promise<void> {
  const faults = armRelayerFaults(c, users.length);
  const silent: number[] = [];
  let pending = [...users];
  let rounds = 0;
  let presses = 0;
  for (; rounds < MAX_ROUNDS && pending.length > 0; rounds++) {
    if (rounds > 0) await sleep(2_500); // a stuck transaction fails after 2 s: let it
    const said = await pool(pending, 8, (x) => finishSetup(c, x.u));
    presses += pending.length;
    pending.forEach((x, i) => said[i] === null && silent.push(x.u.id));
    pending = pending.filter((_, i) => !said[i]?.includes(READY));
  }
  c.pm.faults.clear(faults.ruleId); // only ours: scenario 1 runs alongside with its own
  const ids = users.map((x) => x.userId);
  const wallets = await rows<{ user_id: string; address: string; funder_address: string; ready: boolean }>(
    c,
    "SELECT user_id, address, funder_address, (deployed_at IS NOT NULL AND approved_at IS NOT NULL AND api_key_bound_at IS NOT NULL) AS ready FROM wallets WHERE user_id = ANY($1::bigint[])",
    [ids],
  );
  const txs = c.pm.relayerTransactions();
  let doubled = 0;
  let redeployed = 0;
  for (const w of wallets) {
    const mine = txs.filter((x) => x.from.toLowerCase() === String(w.address).toLowerCase() && x.state === "STATE_CONFIRMED");
    if (mine.filter((x) => x.type === "WALLET").length > 1) doubled++;
    // A second WALLET-CREATE after a lost answer deploys nothing more (the factory's address is fixed): counted, not an error.
    if (mine.filter((x) => x.type === "WALLET-CREATE").length > 1) redeployed++;
  }
  const deployed = (owner: string) => txs.some((x) => x.type === "WALLET-CREATE" && x.state === "STATE_CONFIRMED" && x.from.toLowerCase() === owner.toLowerCase());
  const lost = wallets.filter((w) => !w.ready || !deployed(String(w.address))).length + (users.length - wallets.length);
  const relayed = txs.filter((x) => wallets.some((w) => String(w.address).toLowerCase() === x.from.toLowerCase()));
  t.add(`relayer: ${users.length} deposit wallets set up through the bot (${faults.lines.join(", ")}): ${presses} Finish setup presses in ${rounds} rounds, ${relayed.length} relayer transactions (${relayed.filter((x) => x.state !== "STATE_CONFIRMED").length} not confirmed; ${redeployed} wallets sent a harmless second WALLET-CREATE)`);
  t.check(silent.length === 0, `${silent.length} setup presses got no sentence within ${RUN_ENDS_WITHIN_MS / 1000} s (chats ${silent.slice(0, 3).join(", ")})`);
  t.check(lost === 0, `${lost} deposit wallets not deployed and approved after ${rounds} rounds`);
  t.check(doubled === 0, `${doubled} deposit wallets had their approval batch executed twice`);
}
