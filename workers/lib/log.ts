// Structured JSON logs: one line per event, with an event name; secrets are redacted.
import { maskKeys } from "./key-shape";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/** Keys whose values are never logged (plain "token"/"tokens" mean market tokens here, not credentials). */
const SECRET_KEYS = /(private_?key|secret|passphrase|password|mnemonic|authorization|signature(?!_?type)|api_?key|bot_?token|access_?token|auth_?token|credential)/i;
/** Drops values of secret-looking keys and masks 32-byte hex strings, with or without 0x (private keys). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "string") return maskKeys(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export type LogSink = (line: string, level: LogLevel) => void;
let sink: LogSink = (line, level) => {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

/** Tests may capture log lines (e.g. to scan them for key material). */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

function emit(level: LogLevel, event: string, fields?: LogFields): void {
  const body = fields ? (redact(fields) as LogFields) : {};
  sink(JSON.stringify({ ts: new Date().toISOString(), level, event, ...body }), level);
}

export const log = {
  debug: (event: string, fields?: LogFields) => emit("debug", event, fields),
  info: (event: string, fields?: LogFields) => emit("info", event, fields),
  warn: (event: string, fields?: LogFields) => emit("warn", event, fields),
  error: (event: string, fields?: LogFields) => emit("error", event, fields),
};

/**
 * A short, loggable description of a caught error: drizzle wraps database errors in "Failed query:
 * <sql> params: <values>", which hides the reason and floods logs, so the cause's message (and
 * SQLSTATE code) is used when there is one.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return err.message.length > 300 ? `${err.message.slice(0, 300)}…` : err.message;
}
