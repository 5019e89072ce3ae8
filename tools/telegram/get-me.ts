// The bot's username from Telegram's getMe (issue #24): `npm run deploy` and `npm start` store it
// as TELEGRAM_BOT_USERNAME instead of guessing one. The token never appears in an error.
import { z } from "zod";

const getMeAnswer = z.object({ ok: z.literal(true), result: z.object({ id: z.number(), is_bot: z.literal(true), username: z.string().regex(/^\w{3,64}$/) }) });

export async function botUsername(token: string, apiRoot = "https://api.telegram.org", fetchFn: typeof fetch = fetch): Promise<string> {
  let res: Response;
  try {
    res = await fetchFn(`${apiRoot.replace(/\/$/, "")}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`getMe could not reach ${new URL(apiRoot).host}: ${(err as Error).message.replaceAll(token, "<token>")}`);
  }
  const parsed = getMeAnswer.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new Error(`getMe refused the bot token (HTTP ${res.status}): check TELEGRAM_BOT_TOKEN`);
  return parsed.data.result.username;
}
