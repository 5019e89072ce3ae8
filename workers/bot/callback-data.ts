// Inline-button payloads: a typed action <-> compact, versioned text (Telegram allows 64 bytes).
// Every id decoded here is only a claim: handlers check it against the user before acting.

/** Bumped when the layout changes; buttons of an older version answer "this button is outdated". */
export const CALLBACK_VERSION = "1";
/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

export type TriggerCode = "tp" | "sl" | "tr";

export type Action =
  | { a: "menu" }
  | { a: "help" }
  | { a: "noop" }
  | { a: "trending"; page: number }
  | { a: "categories" }
  | { a: "category"; cat: number; page: number }
  | { a: "searchPrompt" }
  | { a: "search"; intent: string; page: number }
  | { a: "market"; market: string }
  | { a: "buy"; market: string; outcome: number }
  | { a: "amount"; market: string; outcome: number; cents: number }
  | { a: "custom"; market: string; outcome: number }
  | { a: "confirm"; intent: string }
  | { a: "positions"; page: number }
  | { a: "closed"; page: number }
  | { a: "position"; position: number }
  | { a: "sell"; position: number; bps: number }
  | { a: "trigger"; position: number; kind: TriggerCode }
  | { a: "setTrigger"; position: number; kind: TriggerCode; spec: string }
  | { a: "removeTrigger"; position: number; kind: TriggerCode }
  | { a: "wallet" }
  | { a: "walletImport" }
  | { a: "walletGenerate"; confirmed: boolean }
  | { a: "walletExport"; confirmed: boolean }
  | { a: "mode"; mode: "paper" | "live" }
  | { a: "settings" }
  | { a: "setPresets" }
  | { a: "setSlippage"; bps: number | null }
  /** spec null opens the picker; "off" turns the default off. */
  | { a: "setDefault"; kind: "tp" | "sl"; spec: string | null }
  | { a: "reset"; confirmed: boolean };

export type Decoded = { ok: true; action: Action } | { ok: false; why: "outdated" | "malformed" };

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const INTENT = /^[A-Za-z0-9_-]{6,24}$/;
/** A level spec in button data: "+25%", "-10%", "5c" (cents; "¢" would cost two bytes). */
const SPEC = /^[+-]?\d{1,4}(\.\d{1,2})?(%|c)$/;
const TRIGGER_CODES: readonly TriggerCode[] = ["tp", "sl", "tr"];

type Arg = string | number | boolean | null;

function encodeArgs(code: string, args: Arg[]): string {
  const parts = args.map((v) => (v === null ? "" : typeof v === "boolean" ? (v ? "1" : "0") : String(v)));
  return [`${CALLBACK_VERSION}${code}`, ...parts].join(":");
}

function argsOf(action: Action): [string, Arg[]] {
  switch (action.a) {
    case "menu": return ["h", []];
    case "help": return ["?", []];
    case "noop": return ["_", []];
    case "trending": return ["t", [action.page]];
    case "categories": return ["C", []];
    case "category": return ["c", [action.cat, action.page]];
    case "searchPrompt": return ["F", []];
    case "search": return ["f", [action.intent, action.page]];
    case "market": return ["m", [action.market]];
    case "buy": return ["b", [action.market, action.outcome]];
    case "amount": return ["a", [action.market, action.outcome, action.cents]];
    case "custom": return ["u", [action.market, action.outcome]];
    case "confirm": return ["k", [action.intent]];
    case "positions": return ["p", [action.page]];
    case "closed": return ["P", [action.page]];
    case "position": return ["o", [action.position]];
    case "sell": return ["s", [action.position, action.bps]];
    case "trigger": return ["g", [action.position, action.kind]];
    case "setTrigger": return ["G", [action.position, action.kind, action.spec]];
    case "removeTrigger": return ["x", [action.position, action.kind]];
    case "wallet": return ["w", []];
    case "walletImport": return ["i", []];
    case "walletGenerate": return ["n", [action.confirmed]];
    case "walletExport": return ["e", [action.confirmed]];
    case "mode": return ["M", [action.mode]];
    case "settings": return ["S", []];
    case "setPresets": return ["r", []];
    case "setSlippage": return ["l", [action.bps]];
    case "setDefault": return ["d", [action.kind, action.spec]];
    case "reset": return ["z", [action.confirmed]];
  }
}

/** The callback_data of an action; throws when it would exceed Telegram's 64 bytes (a bug, not input). */
export function encodeAction(action: Action): string {
  const [code, args] = argsOf(action);
  const data = encodeArgs(code, args);
  if (new TextEncoder().encode(data).length > MAX_CALLBACK_BYTES) throw new RangeError(`callback data too long: ${data}`);
  return data;
}

const int = (s: string | undefined, max: number): number | undefined => {
  if (s === undefined || !/^\d{1,16}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
};
const id = (s: string | undefined) => (s !== undefined && ID.test(s) ? s : undefined);
const intent = (s: string | undefined) => (s !== undefined && INTENT.test(s) ? s : undefined);
const flag = (s: string | undefined) => (s === "1" ? true : s === "0" ? false : undefined);
const trig = (s: string | undefined) => TRIGGER_CODES.find((t) => t === s);
const spec = (s: string | undefined) => (s !== undefined && SPEC.test(s) ? s : undefined);

const MAX_PAGE = 1_000;
const MAX_POSITION = Number.MAX_SAFE_INTEGER;
/** $1,000,000.00: beyond anything a preset holds. */
const MAX_CENTS = 100_000_000;

/** Parses the arguments of one action code; undefined when any argument is malformed. */
function parseArgs(code: string, p: (string | undefined)[]): Action | undefined {
  const all = <T extends Action>(a: T, ...vals: unknown[]): T | undefined => (vals.every((v) => v !== undefined) ? a : undefined);
  const page = int(p[0], MAX_PAGE);
  switch (code) {
    case "h": return p.length === 0 ? { a: "menu" } : undefined;
    case "?": return p.length === 0 ? { a: "help" } : undefined;
    case "_": return { a: "noop" };
    case "t": return all({ a: "trending", page: page! }, page);
    case "C": return { a: "categories" };
    case "c": { const cat = int(p[0], 99); const pg = int(p[1], MAX_PAGE); return all({ a: "category", cat: cat!, page: pg! }, cat, pg); }
    case "F": return p.length === 0 ? { a: "searchPrompt" } : undefined;
    case "f": { const i = intent(p[0]); const pg = int(p[1], MAX_PAGE); return all({ a: "search", intent: i!, page: pg! }, i, pg); }
    case "m": { const m = id(p[0]); return all({ a: "market", market: m! }, m); }
    case "b": { const m = id(p[0]); const o = int(p[1], 99); return all({ a: "buy", market: m!, outcome: o! }, m, o); }
    case "a": {
      const m = id(p[0]); const o = int(p[1], 99); const c = int(p[2], MAX_CENTS);
      return c === 0 ? undefined : all({ a: "amount", market: m!, outcome: o!, cents: c! }, m, o, c);
    }
    case "u": { const m = id(p[0]); const o = int(p[1], 99); return all({ a: "custom", market: m!, outcome: o! }, m, o); }
    case "k": { const i = intent(p[0]); return all({ a: "confirm", intent: i! }, i); }
    case "p": return all({ a: "positions", page: page! }, page);
    case "P": return all({ a: "closed", page: page! }, page);
    case "o": { const pos = int(p[0], MAX_POSITION); return all({ a: "position", position: pos! }, pos); }
    case "s": {
      const pos = int(p[0], MAX_POSITION); const bps = int(p[1], 10_000);
      return bps === 0 ? undefined : all({ a: "sell", position: pos!, bps: bps! }, pos, bps);
    }
    case "g": { const pos = int(p[0], MAX_POSITION); const k = trig(p[1]); return all({ a: "trigger", position: pos!, kind: k! }, pos, k); }
    case "G": {
      const pos = int(p[0], MAX_POSITION); const k = trig(p[1]); const s = spec(p[2]);
      return all({ a: "setTrigger", position: pos!, kind: k!, spec: s! }, pos, k, s);
    }
    case "x": { const pos = int(p[0], MAX_POSITION); const k = trig(p[1]); return all({ a: "removeTrigger", position: pos!, kind: k! }, pos, k); }
    case "w": return { a: "wallet" };
    case "i": return { a: "walletImport" };
    case "n": { const f = flag(p[0]); return all({ a: "walletGenerate", confirmed: f! }, f); }
    case "e": { const f = flag(p[0]); return all({ a: "walletExport", confirmed: f! }, f); }
    case "M": return p[0] === "paper" || p[0] === "live" ? { a: "mode", mode: p[0] } : undefined;
    case "S": return { a: "settings" };
    case "r": return { a: "setPresets" };
    case "l": {
      if (p[0] === "") return { a: "setSlippage", bps: null };
      const bps = int(p[0], 5_000);
      return all({ a: "setSlippage", bps: bps! }, bps);
    }
    case "d": {
      const k = p[0] === "tp" || p[0] === "sl" ? p[0] : undefined;
      if (p[1] === "") return all({ a: "setDefault", kind: k!, spec: null }, k);
      const s = p[1] === "off" ? "off" : spec(p[1]);
      return all({ a: "setDefault", kind: k!, spec: s! }, k, s);
    }
    case "z": { const f = flag(p[0]); return all({ a: "reset", confirmed: f! }, f); }
    default: return undefined;
  }
}

/** Decodes callback_data; outdated (another version) and malformed data are told apart for the user. */
export function decodeAction(data: string | undefined): Decoded {
  if (!data || data.length > MAX_CALLBACK_BYTES) return { ok: false, why: "malformed" };
  const [head, ...rest] = data.split(":");
  if (!head || head.length < 2) return { ok: false, why: "malformed" };
  if (!head.startsWith(CALLBACK_VERSION)) return /^\d/.test(head) ? { ok: false, why: "outdated" } : { ok: false, why: "malformed" };
  const action = parseArgs(head.slice(CALLBACK_VERSION.length), rest);
  return action ? { ok: true, action } : { ok: false, why: "malformed" };
}

/** A button spec "5c" back to what a user would type ("5¢"). */
export function specText(spec: string): string {
  return spec.endsWith("c") ? `${spec.slice(0, -1)}¢` : spec;
}
