// Local secrets for `npm start`: generated once, kept in .data/ (git-ignored), reused on restart.
// A file from an older version (shorter secrets, no second admin token) is upgraded in place.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { MIN_SECRET_LENGTH } from "../../workers/env";

export interface LocalSecrets {
  ADMIN_TOKEN: string;
  ADMIN_WEBHOOK_TOKEN: string;
  WALLET_ENCRYPTION_KEY: string;
  TELEGRAM_WEBHOOK_SECRET: string;
  TELEGRAM_BOT_TOKEN: string;
}

/** 32 random bytes as base64url: 43 characters, above every minimum. */
const token = () => randomBytes(32).toString("base64url");

function fresh(): LocalSecrets {
  return {
    ADMIN_TOKEN: token(),
    ADMIN_WEBHOOK_TOKEN: token(),
    WALLET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    TELEGRAM_WEBHOOK_SECRET: token(),
    // The playground's Bot API accepts any token of the right shape.
    TELEGRAM_BOT_TOKEN: `7000000001:${randomBytes(24).toString("base64url")}`,
  };
}

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "local-secrets.json");
  const generated = fresh();
  let stored: Partial<LocalSecrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  const strong = (v: string | undefined) => typeof v === "string" && v.length >= MIN_SECRET_LENGTH;
  const secrets: LocalSecrets = {
    ADMIN_TOKEN: strong(stored.ADMIN_TOKEN) ? stored.ADMIN_TOKEN! : generated.ADMIN_TOKEN,
    ADMIN_WEBHOOK_TOKEN: strong(stored.ADMIN_WEBHOOK_TOKEN) ? stored.ADMIN_WEBHOOK_TOKEN! : generated.ADMIN_WEBHOOK_TOKEN,
    // The wallet key is never replaced: stored envelopes are sealed under it.
    WALLET_ENCRYPTION_KEY: stored.WALLET_ENCRYPTION_KEY ?? generated.WALLET_ENCRYPTION_KEY,
    TELEGRAM_WEBHOOK_SECRET: strong(stored.TELEGRAM_WEBHOOK_SECRET) ? stored.TELEGRAM_WEBHOOK_SECRET! : generated.TELEGRAM_WEBHOOK_SECRET,
    TELEGRAM_BOT_TOKEN: stored.TELEGRAM_BOT_TOKEN ?? generated.TELEGRAM_BOT_TOKEN,
  };
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
