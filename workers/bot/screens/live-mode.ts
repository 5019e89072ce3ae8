// The confirmation before live trading: real money, the pUSD Polymarket holds for the wallet, the PIN next.
import type { VenueCash } from "../../trading/venue-cash";
import { usd } from "../../telegram/format";
import { html } from "../../telegram/html";
import { button, type Line, type Screen, screen } from "../../telegram/screen";

/** venue: the balance as Polymarket reports it; null when it cannot be read now. */
export function liveConfirmScreen(venue: VenueCash | null): Screen {
  const lines: Line[] = [
    html`🔴 <b>Switch to live trading?</b>`,
    "Orders will use real money: the pUSD your wallet holds on Polymarket. Paper positions stay as they are.",
    "",
    venue === null ? "Polymarket balance: could not be read right now." : html`Polymarket balance: <b>${usd(venue.balance)}</b> pUSD`,
    venue !== null && venue.balance === 0n ? "⚠️ Nothing to trade with yet: fund the wallet shown in Wallet first." : null,
    venue !== null && venue.allowance !== null && venue.allowance < venue.balance ? `Approved for trading: ${usd(venue.allowance)}.` : null,
    "",
    "Your PIN is asked next.",
  ];
  return screen(lines, [[button("Confirm", { a: "liveConfirm" }), button("Cancel", { a: "wallet" })]]);
}
