// Launches Debian's Chromium for the browser tests, with the flags this closed network needs.
import fs from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's package (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere when needed. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export const chromiumPath = (env: Record<string, string | undefined> = process.env): string => env.CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM;

/** One line saying how to get a browser, or null when the executable is there. */
export function missingChromiumMessage(executable: string): string | null {
  if (fs.existsSync(executable)) return null;
  return `Chromium not found at ${executable}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`;
}

// Without the background-networking flags Chromium's own connections are refused here and it stalls.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  const missing = missingChromiumMessage(executablePath);
  if (missing) throw new Error(missing);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
