// Browser suite preflight: Chromium must be installed; a missing browser fails the run (never skips it).
import { chromiumPath, missingChromiumMessage } from "./browser-launch";

export default function setup(): void {
  const missing = missingChromiumMessage(chromiumPath());
  if (!missing) return;
  // One line and a failing exit, not vitest's "unhandled error" banner and stack: nothing has started yet.
  process.stderr.write(`polycool browser tests: ${missing}\n`);
  process.exit(1);
}
