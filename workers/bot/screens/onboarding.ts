// Pure renderers for a deposit wallet's setup: the progress message the bot edits while it deploys the
// wallet, sets the approvals and gets the API key, and the wallet screen's deposit-address lines.
import { button, type Button, copyButton, type Line, type Screen, screen } from "../../telegram/screen";
import { clip, html } from "../../telegram/html";
import type { OnboardingStep } from "../../wallets/onboarding";

const STEP_LABEL: Record<OnboardingStep, string> = {
  deploy: "Deploy your deposit wallet",
  approve: "Set the trading approvals",
  api_key: "Create your trading API key",
};

export interface ProgressView {
  /** Steps already done. */
  done: readonly OnboardingStep[];
  /** The step running now, and whether it waits for the relayer. */
  current: { step: OnboardingStep; waiting: boolean } | null;
}

/** ✅ done · ⏳ running · ▫️ to do, one line per step. */
export function onboardingProgress(p: ProgressView): Screen {
  const lines: Line[] = [html`<b>👛 Setting up your Polymarket deposit wallet</b>`, ""];
  for (const step of ["deploy", "approve", "api_key"] as const) {
    const mark = p.done.includes(step) ? "✅" : p.current?.step === step ? "⏳" : "▫️";
    const tail = p.current?.step === step ? (p.current.waiting ? " (waiting for Polygon)…" : "…") : "";
    lines.push(`${mark} ${STEP_LABEL[step]}${tail}`);
  }
  lines.push("", "This takes a few seconds. Polymarket's relayer pays the gas: you need no POL.");
  return screen(lines);
}

export interface DepositView {
  /** The deposit wallet to fund with pUSD. */
  address: string;
  /** Deployed, approved and keyed: ready to trade. */
  ready: boolean;
  /** The bot can run the missing steps (the factory's address of this owner, and a relayer is configured). */
  canSetUp: boolean;
  /** The last failure, as stored. */
  problem: string | null;
}

export function depositLines(d: DepositView): Line[] {
  return [
    html`Deposit wallet (signature type 3): <code>${d.address}</code>`,
    d.ready
      ? html`✅ Deployed and approved. Fund it with <b>pUSD on Polygon</b> at this address (Copy address or QR code below).`
      : d.canSetUp
        ? "⚠️ Setup not finished: press Finish setup. Do not fund it before it is deployed."
        : "⚠️ This wallet is not set up by the bot (no relayer is configured, or it is not the factory's address of this key).",
    d.problem && !d.ready ? html`Last problem: ${clip(d.problem, 300)}` : null,
  ];
}

export function depositButtons(d: DepositView): Button[][] {
  const rows: Button[][] = [];
  if (!d.ready && d.canSetUp) rows.push([button("Finish setup", { a: "walletSetup" })]);
  rows.push([copyButton("Copy address", d.address), button("QR code", { a: "walletQr" })]);
  return rows;
}
