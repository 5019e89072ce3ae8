// The exit log screen (pure): a position's last fires and refusals with the price seen, where it came
// from, how old it was, how long the sale took and what came of it.
import { age, cents, sourceLabel } from "../../telegram/format";
import { clip, html } from "../../telegram/html";
import { button, type Line, type Screen, screen } from "../../telegram/screen";
import { TRIGGER_LABELS } from "../../triggers/types";
import type { ExitLogEntry, PositionCard } from "./view-data";

const OUTCOMES: Record<string, string> = {
  sold: "✅ sold",
  partially_sold: "◐ partly sold",
  sell_failed: "⚠️ sell failed",
  in_flight: "⏳ sent, being confirmed",
  refused: "✋ not sold",
  rearmed: "↺ armed again",
};

function entryLines(e: ExitLogEntry, now: number): Line[] {
  const what = e.kind ? TRIGGER_LABELS[e.kind] : "Trigger";
  const seen = e.price === null ? null : `bid ${cents(e.price)}${e.source ? ` (${sourceLabel(e.source)}${e.priceAgeMs !== null ? `, ${e.priceAgeMs} ms old` : ""})` : ""}`;
  const took = e.latencyMs === null ? null : `sale answered in ${e.latencyMs.includes(".") ? e.latencyMs.replace(/\.?0+$/, "") : e.latencyMs} ms`;
  return [
    html`<b>${age(e.at, now)}</b> · ${what} · ${OUTCOMES[e.outcome] ?? clip(e.outcome, 30)}`,
    seen || took ? `    ${[seen, took].filter((x) => x !== null).join(" · ")}` : null,
    e.reason ? html`    ${clip(e.reason, 200)}` : null,
  ];
}

export function exitLogScreen(p: PositionCard, entries: readonly ExitLogEntry[], now: number): Screen {
  const lines: Line[] = [html`<b>Exit log</b> · ${clip(p.outcome, 40)} · ${clip(p.question, 200)}`, ""];
  if (entries.length === 0) lines.push("No trigger has fired on this position yet.");
  for (const e of entries) lines.push(...entryLines(e, now));
  lines.push("", "Every fire and every refusal to sell is listed, newest first (the last 10).");
  return screen(lines, [[button("Refresh", { a: "exitLog", position: p.id }), button("Back", { a: "position", position: p.id })]]);
}
