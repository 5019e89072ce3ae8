// The parts of one local Polymarket and how they are wired: state, auth, faults, ledger, socket hub, scenarios.
import { ApiKeys, DepositWallets } from "./auth";
import { Chain } from "./chain";
import { Exchange } from "./exchange";
import { Faults } from "./faults";
import type { Req } from "./http-util";
import { Ledger, type Balances } from "./ledger";
import { sweepResting, type FlowContext } from "./order-flow";
import { Relayer } from "./relayer";
import { defaultRules, type VenueRules } from "./rules";
import { createRng } from "./rng";
import { Scenarios, type ScenarioKind } from "./scenario";
import { buildSeed } from "./seed";
import { WsHub } from "./ws-hub";

export interface VenueOptions {
  seed: string | number;
  marketCount: number;
  /** Generated markets as at Polymarket's size: neg-risk events, closed and resolved ones (seed.ts). */
  scale?: boolean;
  scenario: ScenarioKind;
  now: () => number;
  authWindowSeconds: number;
  noNewAssetsMs: number;
  balances: Balances;
  /** The 2026 new-account rule from the start (EOA/proxy/Safe orders refused). */
  newAccounts: boolean;
  /** Relayer: time between transaction states (ms). */
  relayerStepMs: number;
}

export interface Venue {
  now: () => number;
  wallets: DepositWallets;
  chain: Chain;
  relayer: Relayer;
  rules: VenueRules;
  keys: ApiKeys;
  faults: Faults;
  ledger: Ledger;
  hub: WsHub;
  scenarios: Scenarios;
  exchange: () => Exchange;
  flow: (req: Pick<Req, "method" | "fullPath">) => FlowContext;
  /** Back to the seeded state; sockets stay open. */
  reset(): void;
  close(): Promise<void>;
}

export function createVenue(opts: VenueOptions): Venue {
  const { now, seed } = opts;
  const wallets = new DepositWallets();
  const chain = new Chain();
  const relayer = new Relayer({ wallets, chain, now, stepMs: opts.relayerStepMs, serverSecret: `local-polymarket:${seed}` });
  const rules = defaultRules(opts.newAccounts);
  const keys = new ApiKeys({ serverSecret: `local-polymarket:${seed}`, now, windowSeconds: opts.authWindowSeconds, wallets });
  const faults = new Faults(now);
  const ledger = new Ledger(opts.balances, (a) => chain.isFresh(a));
  chain.hooks = {
    transfer: (from, to, amount) => {
      if (ledger.balance(from) < amount) return "ERC20: transfer amount exceeds balance";
      ledger.setBalance(from, ledger.balance(from) - amount);
      ledger.setBalance(to, ledger.balance(to) + amount);
      return undefined;
    },
    // The adapter redeems the caller's whole balance of both outcomes and pays pUSD (§4.1); only balances the venue holds count.
    redeem: (from, conditionId) => {
      const m = ex.marketByCondition(conditionId);
      if (!m) return "execution reverted: condition not prepared";
      if (m.winner === undefined) return "execution reverted: result for condition not received yet";
      const held = new Set(ledger.heldTokens(from));
      const winning = held.has(m.tokenIds[m.winner]) ? ledger.shareBalance(from, m.tokenIds[m.winner]) : 0n;
      for (const t of m.tokenIds) if (held.has(t)) ledger.setShares(from, t, 0n);
      ledger.setBalance(from, ledger.balance(from) + winning);
      return undefined;
    },
  };
  let ex: Exchange;
  const exchange = () => ex;
  const hub = new WsHub({ exchange, now, noNewAssetsMs: opts.noNewAssetsMs });
  const flow = (req: Pick<Req, "method" | "fullPath">): FlowContext => ({ ex, ledger, faults, wallets, chain, rules, now, method: req.method, path: req.fullPath });
  const build = (): void => {
    ex = new Exchange(buildSeed({ seed, marketCount: opts.marketCount, scale: opts.scale === true }), createRng(seed).fork("venue"), now, (ids, payload, o) => hub.publish(ids, payload, o));
    let sweeping = false;
    ex.onBookChange = (m) => {
      // Fills of resting orders change the book again; one sweep at a time.
      if (sweeping) return;
      sweeping = true;
      try {
        sweepResting(flow({ method: "POST", fullPath: "/clob/order" }), m);
      } finally {
        sweeping = false;
      }
    };
  };
  build();
  const scenarios = new Scenarios({ exchange, subscribed: () => hub.subscribedAssets(), rng: createRng(seed).fork("scenario"), now });
  scenarios.start(opts.scenario);
  return {
    now,
    wallets,
    chain,
    relayer,
    rules,
    keys,
    faults,
    ledger,
    hub,
    scenarios,
    exchange,
    flow,
    reset: () => {
      scenarios.stop();
      faults.clear();
      ledger.clear();
      keys.clear();
      wallets.clear();
      chain.clear();
      relayer.clear();
      Object.assign(rules, defaultRules(opts.newAccounts));
      hub.resetState();
      build();
      scenarios.start(opts.scenario);
    },
    close: async () => {
      scenarios.stop();
      relayer.clear();
      await hub.close();
    },
  };
}
