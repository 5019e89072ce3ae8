// Wallet: paper/live mode, the live wallet's address and funding, importing a key (the message is
// deleted at once, never echoed), generating one, and exporting it behind a confirmation.
import { Composer } from "grammy";
import { errorText, log } from "../../lib/log";
import { hasPin } from "../../security/pin-store";
import { pendingAction } from "../../security/secure-actions";
import type { Db } from "../../db/client";
import { markSetUpOutside, ONBOARDING_STEPS, nextStep, onboardingState, runOnboarding } from "../../wallets/onboarding";
import { generateWallet, getWallet, importWallet, isOnboardable, type WalletDeps, type WalletInfo } from "../../wallets/wallet-store";
import { type DepositView, onboardingProgress } from "../screens/onboarding";
import { sendAddressQr } from "./address-qr";
import { exportConfirm, generateConfirm, importPrompt, walletScreen } from "../screens/account";
import { exportScheduled } from "../screens/security";
import { liveConfirmScreen } from "../screens/live-mode";
import { deleteUserMessage } from "./delete-message";
import { askPin, onPinSet, onPinVerified, scheduleExport } from "./security";
import { onAction } from "../actions";
import { answer, type BotContext, editOrSend, reply, show } from "../bot-context";

import { hitRateLimit, rateLimitedText } from "../rate-limit";
import { setMode, setPending } from "../store/users";
import type { Line, Screen } from "../../telegram/screen";
import { clip, html } from "../../telegram/html";

export const wallet = new Composer<BotContext>();

/** The wallet screen; `db` is the request's handle, or a background task's own. */
async function walletView(ctx: BotContext, note?: Line, db: Db = ctx.deps.db): Promise<Screen> {
  const deps = await ctx.deps.ports.wallets(db);
  const [w, pin] = await Promise.all([getWallet(deps, ctx.account.id), hasPin(db, ctx.account.id)]);
  const wallet = w ? { address: w.address, tradingAddress: w.tradingAddress, signatureType: w.signatureType, origin: w.origin } : null;
  const deposit = w?.signatureType === 3 ? await depositView(deps, ctx, w) : undefined;
  // A live user sees the pUSD the venue holds for them; a paper user is not made to wait for it.
  const venue = w && ctx.account.mode === "live" ? await ctx.deps.ports.venueCash(db, ctx.account.id) : undefined;
  return walletScreen({ mode: ctx.account.mode, paperCash: ctx.account.paperCash, pinSet: pin, wallet, ...(deposit ? { deposit } : {}), ...(venue !== undefined ? { venue } : {}) }, note);
}

async function depositView(deps: WalletDeps, ctx: BotContext, w: WalletInfo): Promise<DepositView> {
  const st = await onboardingState(deps, ctx.account.id);
  const ready = st !== null && nextStep(st) === null;
  return { address: w.tradingAddress, ready, canSetUp: isOnboardable(w) && ctx.deps.ports.onboarding() !== null, problem: st?.error ?? null };
}

/**
 * Deploys, approves and keys the user's deposit wallet after the webhook answered, editing `messageId`
 * as each step starts; ends on the wallet screen with what happened. Safe to start twice (a lease).
 */
function setUpInBackground(ctx: BotContext, chatId: number, messageId: number): void {
  const ports = ctx.deps.ports.onboarding();
  if (!ports) return;
  const userId = ctx.account.id;
  ctx.deps.background("wallet_onboarding", async (db) => {
    const deps = await ctx.deps.ports.wallets(db);
    const before = await onboardingState(deps, userId);
    const done = ONBOARDING_STEPS.filter((s) => before && (s === "deploy" ? before.deployedAt : s === "approve" ? before.approvedAt : before.apiKeyBoundAt));
    const edit = (s: Screen) => editOrSend(ctx, chatId, messageId, s).catch((err) => log.warn("wallet_onboarding_edit_failed", { user_id: userId, error: errorText(err) }));
    const r = await runOnboarding(deps, userId, ports, async (e) => {
      if (e.phase === "done") return void done.push(e.step);
      await edit(onboardingProgress({ done, current: { step: e.step, waiting: e.phase === "waiting" } }));
    });
    const note: Line = r.ok
      ? "✅ Your deposit wallet is deployed and approved: fund it with pUSD on Polygon at the address below."
      : r.reason === "busy"
        ? "⏳ Your wallet setup is already running in another message: it says when it ends."
        : html`⚠️ Setup not finished: ${clip(r.message, 300)}`;
    await edit(await walletView(ctx, note, db));
  });
}

wallet.command("wallet", async (ctx) => void (await reply(ctx, await walletView(ctx))));
onAction(wallet, ["wallet"], async (ctx) => void (await show(ctx, await walletView(ctx)), await answer(ctx)));

/** Live trading needs a wallet; without one the wallet screen says so. */
async function needsWallet(ctx: BotContext): Promise<boolean> {
  if (await getWallet(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id)) return false;
  await show(ctx, await walletView(ctx, "⚠️ Live trading needs a wallet: import or generate one first."));
  await answer(ctx, "Set up a wallet first.");
  return true;
}

onAction(wallet, ["mode"], async (ctx, a) => {
  // Real money: a confirmation with the venue balance, then the PIN. Back to paper needs nothing.
  if (a.mode === "live") {
    if (await needsWallet(ctx)) return;
    await show(ctx, liveConfirmScreen(await ctx.deps.ports.venueCash(ctx.deps.db, ctx.account.id).catch(() => null)));
    return answer(ctx);
  }
  await setMode(ctx.deps.db, ctx.account.id, "paper");
  ctx.account.mode = "paper";
  await show(ctx, await walletView(ctx, "🧪 Paper mode: orders are simulated."));
  await answer(ctx, "Paper mode on.");
});

onAction(wallet, ["liveConfirm"], async (ctx) => {
  if (await needsWallet(ctx)) return;
  await askPin(ctx, "live");
  await answer(ctx);
});

onPinVerified("live", async (ctx) => {
  await setMode(ctx.deps.db, ctx.account.id, "live");
  ctx.account.mode = "live";
  await reply(ctx, await walletView(ctx, "🔴 Live mode: orders now use real money from your wallet."));
});

onPinVerified("export", (ctx) => scheduleExport(ctx));

onPinSet(async (ctx, note) => void (await reply(ctx, await walletView(ctx, note))));

onAction(wallet, ["walletImport"], async (ctx) => {
  await setPending(ctx.deps.db, ctx.account.id, { kind: "wallet_import" }, ctx.deps.now());
  await show(ctx, importPrompt());
  await answer(ctx);
});

/** The typed key: deleted first, validated, stored encrypted; errors never repeat what was sent. */
export async function importText(ctx: BotContext, text: string): Promise<void> {
  const deleted = await deleteUserMessage(ctx, "pasted_key");
  const tail = deleted ? "" : "\n⚠️ I could not delete your message: delete it yourself now.";
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "wallet", ctx.deps.now());
  if (!limited.ok) return void (await ctx.reply(rateLimitedText(limited) + tail));
  const [privateKey, type, funder] = text.trim().split(/\s+/);
  const signatureType = type === undefined ? undefined : /^[0-3]$/.test(type) ? Number(type) : -1;
  const r = await importWallet(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id, { privateKey, ...(signatureType !== undefined ? { signatureType } : {}), ...(funder ? { funderAddress: funder } : {}) });
  if (!r.ok) {
    if (r.reason !== "invalid_input") await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
    return void (await ctx.reply(`⚠️ Not imported: ${r.message.slice(0, 300)}${tail}`));
  }
  await setPending(ctx.deps.db, ctx.account.id, null, ctx.deps.now());
  // A deposit wallet (type 3): the bot deploys it if needed, sets its approvals, gets its API key; without a relayer, its owner does.
  const setUp = isOnboardable(r.wallet) && ctx.deps.ports.onboarding() !== null;
  if (isOnboardable(r.wallet) && !setUp) await markSetUpOutside(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id);
  const shown = await reply(ctx, await walletView(ctx, html`✅ Wallet imported: <code>${r.wallet.address}</code>\n${clip(r.note, 600)}${tail}`));
  if (setUp) setUpInBackground(ctx, ctx.chatId!, shown);
}

/** A key pasted when none was asked for: deleted, and the user is told how to import one. */
export async function strayKey(ctx: BotContext): Promise<void> {
  const deleted = await deleteUserMessage(ctx, "pasted_key");
  await ctx.reply(
    deleted
      ? "🔒 That looked like a private key, so I deleted it. Never share a key in a chat. To import one, use Wallet → Import key."
      : "🔒 That looked like a private key. Delete that message now. To import a key, use Wallet → Import key.",
  );
}

onAction(wallet, ["walletGenerate"], async (ctx, a) => {
  const deps = await ctx.deps.ports.wallets(ctx.deps.db);
  if (await getWallet(deps, ctx.account.id)) {
    await show(ctx, await walletView(ctx, "You already have a wallet. Export its key if you need it."));
    return answer(ctx);
  }
  if (!a.confirmed) return void (await show(ctx, generateConfirm()), await answer(ctx));
  const r = await generateWallet(deps, ctx.account.id, { depositWallet: ctx.deps.ports.onboarding() !== null });
  if (r.ok && isOnboardable(r.wallet)) {
    const shown = await show(ctx, onboardingProgress({ done: [], current: null }));
    if (shown !== undefined) setUpInBackground(ctx, ctx.chatId!, shown);
    return answer(ctx, "Wallet created: setting it up.");
  }
  await show(ctx, await walletView(ctx, r.ok ? html`✅ New wallet: <code>${r.wallet.address}</code>\n${clip(r.note, 600)}` : html`⚠️ ${clip(r.message, 300)}`));
  await answer(ctx, r.ok ? "Wallet created." : "Not created.");
});

onAction(wallet, ["walletSetup"], async (ctx) => {
  const w = await getWallet(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id);
  if (!w || !isOnboardable(w) || !ctx.deps.ports.onboarding()) {
    await show(ctx, await walletView(ctx, "Nothing to set up: this wallet is not a deposit wallet the bot can deploy."));
    return answer(ctx);
  }
  const shown = await show(ctx, onboardingProgress({ done: [], current: null }));
  if (shown !== undefined) setUpInBackground(ctx, ctx.chatId!, shown);
  await answer(ctx, "Setting up your wallet.");
});

onAction(wallet, ["walletQr"], async (ctx) => {
  const w = await getWallet(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id);
  if (!w) return answer(ctx, "No wallet yet.");
  await sendAddressQr(ctx, w.tradingAddress);
  await answer(ctx);
});

onAction(wallet, ["walletExport"], async (ctx, a) => {
  if (!(await getWallet(await ctx.deps.ports.wallets(ctx.deps.db), ctx.account.id))) {
    await show(ctx, await walletView(ctx, "No wallet to export."));
    return answer(ctx);
  }
  if (!a.confirmed) return void (await show(ctx, exportConfirm()), await answer(ctx));
  const limited = await hitRateLimit(ctx.deps.db, ctx.account.id, "wallet", ctx.deps.now());
  if (!limited.ok) return answer(ctx, rateLimitedText(limited), true);
  const waiting = await pendingAction(ctx.deps.db, ctx.account.id, "export_key");
  if (waiting) await show(ctx, exportScheduled(waiting.dueAt, ctx.deps.now(), waiting.id, false));
  else await askPin(ctx, "export");
  await answer(ctx);
});
