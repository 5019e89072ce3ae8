import { describe, expect, it } from "vitest";
import { toMarkup } from "../../telegram/screen";
import { walletScreen } from "./account";
import { onboardingProgress } from "./onboarding";

const DEPOSIT = "0xBc0fF067b7740Eff76C1ca93c875Ba6B890d6B50";
const base = { mode: "paper" as const, paperCash: 1_000_000_000n, pinSet: true, wallet: { address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", tradingAddress: DEPOSIT, signatureType: 3, origin: "generated" } };

describe("deposit-wallet screens", () => {
  it("progress: done, running (waiting for Polygon) and to-do steps", () => {
    const s = onboardingProgress({ done: ["deploy"], current: { step: "approve", waiting: true } });
    expect(s.text).toContain("✅ Deploy your deposit wallet\n⏳ Set the trading approvals (waiting for Polygon)…\n▫️ Create your trading API key");
    expect(s.keyboard).toEqual([]);
  });

  it("a ready wallet: the address, a copy button carrying it, and the QR code; no Finish setup", () => {
    const s = walletScreen({ ...base, deposit: { address: DEPOSIT, ready: true, canSetUp: true, problem: null } });
    expect(s.text).toContain(`Deposit wallet (signature type 3): <code>${DEPOSIT}</code>`);
    expect(s.text).toContain("✅ Deployed and approved");
    const buttons = toMarkup(s.keyboard).inline_keyboard.flat();
    expect(buttons).toContainEqual({ text: "Copy address", copy_text: { text: DEPOSIT } });
    expect(buttons.map((b) => b.text)).toContain("QR code");
    expect(buttons.map((b) => b.text)).not.toContain("Finish setup");
    expect(s.text).not.toContain("plus a little POL");
  });

  it("an unfinished wallet offers Finish setup and shows the last problem, escaped", () => {
    const s = walletScreen({ ...base, deposit: { address: DEPOSIT, ready: false, canSetUp: true, problem: "relayer said <b>no</b> & stopped" } });
    expect(s.text).toContain("Setup not finished: press Finish setup");
    expect(s.text).toContain("Last problem: relayer said &lt;b&gt;no&lt;/b&gt; &amp; stopped");
    expect(toMarkup(s.keyboard).inline_keyboard.flat().map((b) => b.text)).toContain("Finish setup");
  });

  it("without a relayer the bot says it cannot set the wallet up, and offers no Finish setup", () => {
    const s = walletScreen({ ...base, deposit: { address: DEPOSIT, ready: false, canSetUp: false, problem: null } });
    expect(s.text).toContain("not set up by the bot");
    expect(toMarkup(s.keyboard).inline_keyboard.flat().map((b) => b.text)).not.toContain("Finish setup");
  });
});
