// Constant-time comparison of secrets (admin bearer token, webhook secret).
const encoder = new TextEncoder();

/**
 * Compares two strings without leaking where they differ. The length of the
 * expected value is not secret-dependent in timing beyond the loop bound.
 */
export function timingSafeEqualStr(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  const len = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < len; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
