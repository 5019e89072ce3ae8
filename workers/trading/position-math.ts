// Pure position accounting in micros: weighted entry via cost basis, pro-rata cost on partial sells, P&L.
import { type Micros, ONE, mul, mulDiv } from "../money/micros";
import { DUST_SHARES } from "./pricing";

export interface Holding {
  shares: Micros;
  costBasis: Micros;
}

/** Average entry price: cost ÷ shares, half-up to micros (0 for an empty holding). */
export function avgPrice(h: Holding): Micros {
  if (h.shares <= 0n) return 0n;
  return mulDiv(h.costBasis, ONE, h.shares, "half-up");
}

/** A buy adds its shares and the USDC it cost; the average entry follows from the sums. */
export function applyBuy(h: Holding, shares: Micros, usdc: Micros): Holding {
  if (shares <= 0n || usdc < 0n) throw new RangeError(`buy of ${shares} shares for ${usdc}`);
  return { shares: h.shares + shares, costBasis: h.costBasis + usdc };
}

export interface SellOutcome extends Holding {
  /** Cost basis of the shares sold (pro rata, half-up; all of it when everything is sold). */
  costPortion: Micros;
  /** Proceeds − costPortion (minus the written-off dust's cost on a close). */
  realized: Micros;
  /** The remainder is below the venue's 0.01-share precision: the position closes. */
  closed: boolean;
  /** Shares left behind on close (unsellable dust), written off at zero. */
  dust: Micros;
}

/**
 * A sell of `sold` shares for `proceeds` USDC. The cost portion is cost × sold ÷ shares; the
 * ledger stays exact because the same portion leaves the cost basis and enters realised P&L.
 * A remainder under 0.01 share can never be sold on the venue, so the position closes and that
 * dust's cost is realised as a loss (proceeds 0) rather than left as a position nobody can sell.
 */
export function applySell(h: Holding, sold: Micros, proceeds: Micros): SellOutcome {
  if (sold <= 0n || sold > h.shares) throw new RangeError(`sell of ${sold} from ${h.shares} shares`);
  if (proceeds < 0n) throw new RangeError(`negative proceeds ${proceeds}`);
  const left = h.shares - sold;
  if (left < DUST_SHARES) {
    return { shares: 0n, costBasis: 0n, costPortion: h.costBasis, realized: proceeds - h.costBasis, closed: true, dust: left };
  }
  const costPortion = mulDiv(h.costBasis, sold, h.shares, "half-up");
  return { shares: left, costBasis: h.costBasis - costPortion, costPortion, realized: proceeds - costPortion, closed: false, dust: 0n };
}

/**
 * Unrealised P&L at a price: shares × price − cost basis, the product rounded half-up to micros
 * (the same figure the streamer's flush writes: round(shares × bid − cost_basis, 6)).
 */
export function unrealizedPnl(h: Holding, price: Micros): Micros {
  return mul(h.shares, price, "half-up") - h.costBasis;
}

/** A resolved market pays 1 per winning share and 0 per losing share. */
export function resolutionProceeds(shares: Micros, won: boolean): Micros {
  return won ? shares : 0n;
}
