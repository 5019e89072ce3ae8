// Pure renderers for the second factor: setting and asking the PIN, a delayed key export and a
// delayed PIN reset (announced with Cancel), and the refusals (wrong, locked, not set).
import { PIN_DIGITS } from "../../security/pin";
import { html } from "../../telegram/html";
import { button, type Screen, screen } from "../../telegram/screen";

export type PinPurpose = "export" | "live" | "change" | "slippage";

const WHY: Record<PinPurpose, string> = {
  export: "to export your private key",
  live: "to switch to live trading (real money)",
  change: "to change your PIN",
  slippage: "to widen your slippage bound in live mode",
};

/** "12:34 UTC" */
export function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

export function pinNewPrompt(again = false): Screen {
  return screen(
    [
      html`🔐 <b>${again ? "Type the same PIN again" : "Choose a PIN"}</b>`,
      again ? "To be sure it is the one you meant." : `Send ${PIN_DIGITS} digits (not all the same, not 123456). The bot asks for it before a key export, before live trading and before withdrawals. Your message is deleted at once.`,
    ],
    [[button("Cancel", { a: "wallet" })]],
  );
}

export function pinPrompt(purpose: PinPurpose): Screen {
  return screen(
    [html`🔐 <b>Your PIN</b>, ${WHY[purpose]}.`, `Send your ${PIN_DIGITS}-digit PIN. Your message is deleted at once.`],
    [[button("Cancel", { a: "wallet" }), button("Forgot PIN", { a: "pinForgot", confirmed: false })]],
  );
}

export function pinNeeded(purpose: PinPurpose): Screen {
  return screen(
    [html`🔐 <b>Set a PIN first</b>, ${WHY[purpose]}.`, "A PIN keeps someone who gets hold of your Telegram from taking your funds or your key."],
    [[button("Set PIN", { a: "pinSet" }), button("Back", { a: "wallet" })]],
  );
}

export const pinProblemText = (why: "not_digits" | "too_simple") =>
  why === "not_digits" ? `⚠️ A PIN is exactly ${PIN_DIGITS} digits. Send another one.` : "⚠️ That PIN is too easy to guess (all the same digit, or a straight run). Send another one.";

export const pinWrongText = (triesLeft: number, lockedUntil: number | null) =>
  lockedUntil !== null
    ? `⛔ Wrong PIN. Too many wrong PINs: it is locked until ${clock(lockedUntil)}.`
    : `⚠️ Wrong PIN. ${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left before it is locked. Send it again.`;

export const pinLockedText = (until: number) => `⛔ Your PIN is locked after too many wrong tries, until ${clock(until)}. Try again then.`;

export function exportScheduled(dueAt: number, now: number, id: number, fresh: boolean): Screen {
  return screen(
    [
      html`🔑 <b>${fresh ? "Key export requested" : "A key export is already on its way"}</b>`,
      `Your key will be sent here at ${clock(dueAt)} (in ${minutes(dueAt - now)} min) and deleted 60 seconds after. It cannot be forwarded or saved from the chat.`,
      "Not you? Press Cancel now, then change your PIN.",
    ],
    [[button("Cancel the export", { a: "secureCancel", id })]],
  );
}

export function forgotConfirm(): Screen {
  return screen(
    [
      html`🔐 <b>Reset a forgotten PIN?</b>`,
      "The PIN is cleared 24 hours after you ask, and you are told here at once: anyone who took over your Telegram cannot skip the wait, and you can cancel it.",
    ],
    [[button("Reset in 24 hours", { a: "pinForgot", confirmed: true }), button("Back", { a: "wallet" })]],
  );
}

export function resetScheduled(dueAt: number, id: number): Screen {
  return screen(
    [html`🔐 <b>PIN reset requested</b>`, `Your PIN will be cleared on ${new Date(dueAt).toISOString().slice(0, 10)} at ${clock(dueAt)}. Until then key exports and live trading need the old one.`, "Not you? Press Cancel."],
    [[button("Cancel the reset", { a: "secureCancel", id })]],
  );
}

export function cancelledScreen(done: boolean): Screen {
  return screen([done ? "✅ Cancelled: nothing will happen." : "That request already ran or was cancelled."], [[button("Wallet", { a: "wallet" })]]);
}
