// POST /telegram/webhook: the Telegram bot (grammY) behind Hono. Owned by the bot work; placeholder until it lands.
import { Hono } from "hono";
import type { AppEnv } from "../app-env";

export const telegram = new Hono<AppEnv>().post("/webhook", (c) => c.json({ error: { code: "not_implemented", message: "bot not wired yet" } }, 503));
