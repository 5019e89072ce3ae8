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
  /** Confirms a sell preview (the intent holds the position, the size and the floor shown). */
  | { a: "sellConfirm"; intent: string }
  | { a: "trigger"; position: number; kind: TriggerCode }
  | { a: "setTrigger"; position: number; kind: TriggerCode; spec: string }
  | { a: "removeTrigger"; position: number; kind: TriggerCode }
  | { a: "exitLog"; position: number }
  /** A stop's sale: at any price (on, after the warning is confirmed) or a stop-limit with a floor (off). */
  | { a: "anyPrice"; position: number; kind: TriggerCode; on: boolean; confirmed: boolean }
  | { a: "wallet" }
  | { a: "walletImport" }
  | { a: "walletGenerate"; confirmed: boolean }
  | { a: "walletExport"; confirmed: boolean }
  /** Runs (or resumes) the deposit wallet's deployment, approvals and API key. */
  | { a: "walletSetup" }
  /** Sends the deposit address as a QR code picture. */
  | { a: "walletQr" }
  | { a: "mode"; mode: "paper" | "live" }
  /** Confirms "Switch to live" (the PIN is asked next). */
  | { a: "liveConfirm" }
  | { a: "settings" }
  | { a: "setPresets" }
  | { a: "setSlippage"; bps: number | null }
  /** spec null opens the picker; "off" turns the default off. */
  | { a: "setDefault"; kind: "tp" | "sl"; spec: string | null }
  | { a: "reset"; confirmed: boolean }
  | { a: "pinSet" }
  | { a: "pinForgot"; confirmed: boolean }
  | { a: "secureCancel"; id: number };

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
    case "sellConfirm": return ["K", [action.intent]];
    case "trigger": return ["g", [action.position, action.kind]];
    case "setTrigger": return ["G", [action.position, action.kind, action.spec]];
    case "removeTrigger": return ["x", [action.position, action.kind]];
    case "exitLog": return ["E", [action.position]];
    case "anyPrice": return ["v", [action.position, action.kind, action.on, action.confirmed]];
    case "wallet": return ["w", []];
    case "walletImport": return ["i", []];
    case "walletGenerate": return ["n", [action.confirmed]];
    case "walletExport": return ["e", [action.confirmed]];
    case "walletSetup": return ["W", []];
    case "walletQr": return ["q", []];
    case "mode": return ["M", [action.mode]];
    case "liveConfirm": return ["L", []];
    case "settings": return ["S", []];
    case "setPresets": return ["r", []];
    case "setSlippage": return ["l", [action.bps]];
    case "setDefault": return ["d", [action.kind, action.spec]];
    case "reset": return ["z", [action.confirmed]];
    case "pinSet": return ["y", []];
    case "pinForgot": return ["Y", [action.confirmed]];
    case "secureCancel": return ["X", [action.id]];
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

type Args = readonly string[];
/** The action when every parsed argument is valid. */
const when = <T extends Action>(a: T, ...vals: unknown[]): T | undefined => (vals.every((v) => v !== undefined) ? a : undefined);
const pos = (s: string | undefined) => int(s, MAX_POSITION);
const outcome = (s: string | undefined) => int(s, 99);
const page = (s: string | undefined) => int(s, MAX_PAGE);

/** Code → [number of arguments, parser]; a parser answers undefined for any malformed argument. */
const PARSERS = new Map<string, [number, (p: Args) => Action | undefined]>([
  ["h", [0, () => ({ a: "menu" })]],
  ["?", [0, () => ({ a: "help" })]],
  ["_", [0, () => ({ a: "noop" })]],
  ["t", [1, (p) => when({ a: "trending", page: page(p[0])! }, page(p[0]))]],
  ["C", [0, () => ({ a: "categories" })]],
  ["c", [2, (p) => when({ a: "category", cat: int(p[0], 99)!, page: page(p[1])! }, int(p[0], 99), page(p[1]))]],
  ["F", [0, () => ({ a: "searchPrompt" })]],
  ["f", [2, (p) => when({ a: "search", intent: intent(p[0])!, page: page(p[1])! }, intent(p[0]), page(p[1]))]],
  ["m", [1, (p) => when({ a: "market", market: id(p[0])! }, id(p[0]))]],
  ["b", [2, (p) => when({ a: "buy", market: id(p[0])!, outcome: outcome(p[1])! }, id(p[0]), outcome(p[1]))]],
  ["a", [3, (p) => when({ a: "amount", market: id(p[0])!, outcome: outcome(p[1])!, cents: int(p[2], MAX_CENTS)! }, id(p[0]), outcome(p[1]), int(p[2], MAX_CENTS) || undefined)]],
  ["u", [2, (p) => when({ a: "custom", market: id(p[0])!, outcome: outcome(p[1])! }, id(p[0]), outcome(p[1]))]],
  ["k", [1, (p) => when({ a: "confirm", intent: intent(p[0])! }, intent(p[0]))]],
  ["p", [1, (p) => when({ a: "positions", page: page(p[0])! }, page(p[0]))]],
  ["P", [1, (p) => when({ a: "closed", page: page(p[0])! }, page(p[0]))]],
  ["o", [1, (p) => when({ a: "position", position: pos(p[0])! }, pos(p[0]))]],
  ["s", [2, (p) => when({ a: "sell", position: pos(p[0])!, bps: int(p[1], 10_000)! }, pos(p[0]), int(p[1], 10_000) || undefined)]],
  ["K", [1, (p) => when({ a: "sellConfirm", intent: intent(p[0])! }, intent(p[0]))]],
  ["g", [2, (p) => when({ a: "trigger", position: pos(p[0])!, kind: trig(p[1])! }, pos(p[0]), trig(p[1]))]],
  ["G", [3, (p) => when({ a: "setTrigger", position: pos(p[0])!, kind: trig(p[1])!, spec: spec(p[2])! }, pos(p[0]), trig(p[1]), spec(p[2]))]],
  ["x", [2, (p) => when({ a: "removeTrigger", position: pos(p[0])!, kind: trig(p[1])! }, pos(p[0]), trig(p[1]))]],
  ["E", [1, (p) => when({ a: "exitLog", position: pos(p[0])! }, pos(p[0]))]],
  ["v", [4, (p) => when({ a: "anyPrice", position: pos(p[0])!, kind: trig(p[1])!, on: flag(p[2])!, confirmed: flag(p[3])! }, pos(p[0]), trig(p[1]), flag(p[2]), flag(p[3]))]],
  ["w", [0, () => ({ a: "wallet" })]],
  ["i", [0, () => ({ a: "walletImport" })]],
  ["n", [1, (p) => when({ a: "walletGenerate", confirmed: flag(p[0])! }, flag(p[0]))]],
  ["e", [1, (p) => when({ a: "walletExport", confirmed: flag(p[0])! }, flag(p[0]))]],
  ["W", [0, () => ({ a: "walletSetup" })]],
  ["q", [0, () => ({ a: "walletQr" })]],
  ["M", [1, (p) => (p[0] === "paper" || p[0] === "live" ? { a: "mode", mode: p[0] } : undefined)]],
  ["L", [0, () => ({ a: "liveConfirm" })]],
  ["S", [0, () => ({ a: "settings" })]],
  ["r", [0, () => ({ a: "setPresets" })]],
  ["l", [1, (p) => (p[0] === "" ? { a: "setSlippage", bps: null } : when({ a: "setSlippage", bps: int(p[0], 5_000)! }, int(p[0], 5_000)))]],
  ["d", [2, (p) => {
    const kind = p[0] === "tp" || p[0] === "sl" ? p[0] : undefined;
    const s = p[1] === "" ? null : p[1] === "off" ? "off" : spec(p[1]);
    return when({ a: "setDefault", kind: kind!, spec: s! }, kind, s);
  }]],
  ["z", [1, (p) => when({ a: "reset", confirmed: flag(p[0])! }, flag(p[0]))]],
  ["y", [0, () => ({ a: "pinSet" })]],
  ["Y", [1, (p) => when({ a: "pinForgot", confirmed: flag(p[0])! }, flag(p[0]))]],
  ["X", [1, (p) => when({ a: "secureCancel", id: pos(p[0])! }, pos(p[0]))]],
]);

/** Parses the arguments of one action code; undefined for an unknown code, a wrong count or a bad argument. */
function parseArgs(code: string, p: Args): Action | undefined {
  const entry = PARSERS.get(code);
  return entry && p.length === entry[0] ? entry[1](p) : undefined;
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
