// What the benches that drive the whole product share: admin calls on the running Worker, and polling
// a condition until it holds.
import type { Stack } from "../tools/start/stack";

export async function admin(stack: Stack, method: string, route: string): Promise<unknown> {
  const res = await fetch(`${stack.workerUrl}${route}`, { method, headers: { authorization: `Bearer ${stack.adminToken}` } });
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status}`);
  return res.json();
}

/** Polls `probe` every `everyMs` until it answers something other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, everyMs = 1): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
