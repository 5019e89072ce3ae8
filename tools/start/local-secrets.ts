// Local secrets for `npm start`: generated once, kept in .data/ (git-ignored), reused on restart.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface LocalSecrets {
  ADMIN_TOKEN: string;
  WALLET_ENCRYPTION_KEY: string;
  TELEGRAM_WEBHOOK_SECRET: string;
  TELEGRAM_BOT_TOKEN: string;
}

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "local-secrets.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as LocalSecrets;
  const secrets: LocalSecrets = {
    ADMIN_TOKEN: randomBytes(18).toString("base64url"),
    WALLET_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    TELEGRAM_WEBHOOK_SECRET: randomBytes(18).toString("base64url"),
    // The playground's Bot API accepts any token of the right shape.
    TELEGRAM_BOT_TOKEN: `7000000001:${randomBytes(24).toString("base64url")}`,
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
