// Sends the address to fund as a QR code picture (scanned by a wallet app to send pUSD on Polygon).
import { InputFile } from "grammy";
import { errorText, log } from "../../lib/log";
import { html, render } from "../../telegram/html";
import { qrPng } from "../../telegram/qr-png";
import type { BotContext } from "../bot-context";

export async function sendAddressQr(ctx: BotContext, address: string): Promise<void> {
  try {
    const png = await qrPng(address);
    const caption = render(html`Deposit address (pUSD on <b>Polygon</b> only):\n<code>${address}</code>`);
    await ctx.api.sendPhoto(ctx.chatId!, new InputFile(png, "deposit-address.png"), { caption, parse_mode: "HTML" });
  } catch (err) {
    log.warn("wallet_qr_failed", { user_id: ctx.account.id, error: errorText(err) });
    await ctx.reply("⚠️ I could not send the QR code right now. Use Copy address instead.");
  }
}
