// Deterministic seed data for the local Polymarket: the catalogue plus N procedural markets, with ids like the real ones.
import { CATALOG, PROCEDURAL, type CatalogBinary, type CatalogNegRiskEvent } from "./catalog";
import { fromMicros, toMicros } from "./decimal";
import { createRng, type Rng } from "./rng";
import type { SimEvent, SimMarket, SimTag } from "./types";

export interface SeedOptions {
  seed: string | number;
  /** Procedurally generated markets added after the catalogue (e.g. 1,700 for sync tests). */
  marketCount?: number;
  /**
   * The `scale` scenario: the generated markets come as Polymarket's do at its size (46,500 in 2026):
   * one market in eight opens a neg-risk event of four candidates, and some are closed or resolved.
   */
  scale?: boolean;
}

export interface SeedData {
  markets: SimMarket[];
  events: SimEvent[];
}

/** First Gamma ids handed out; real ids are in this range in 2026 captures. */
const FIRST_MARKET_ID = 540_000;
const FIRST_EVENT_ID = 31_000;

/** A 77–78 digit decimal token id, as real CLOB token ids are (uint256 rendered in decimal). */
export function tokenIdFrom(rng: Rng): string {
  for (;;) {
    const id = BigInt(`0x${rng.hex(32)}`).toString();
    if (id.length >= 77) return id;
  }
}

function bytes32(rng: Rng): string {
  return `0x${rng.hex(32)}`;
}

function isoDate(rng: Rng, year: number, fromMonth: number, toMonth: number): string {
  const month = fromMonth + rng.int(toMonth - fromMonth + 1);
  const day = 1 + rng.int(28);
  const micros = rng.int(1_000_000).toString().padStart(6, "0");
  const time = `${String(rng.int(24)).padStart(2, "0")}:${String(rng.int(60)).padStart(2, "0")}:${String(rng.int(60)).padStart(2, "0")}`;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T${time}.${micros}Z`;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[$,?.'"]/g, "")
    .replace(/&/g, "and")
    .replace(/%/g, "pct")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Lifetime volume and liquidity derived from the 24 h volume, in exact decimals. */
function volumeText(rng: Rng, base: string): { volume: string; liquidity: string } {
  const day = toMicros(base);
  const volume = day * BigInt(20 + rng.int(400));
  const liquidity = (day * BigInt(5 + rng.int(60))) / 100n;
  return { volume: fromMicros(volume), liquidity: fromMicros(liquidity) };
}

class Builder {
  readonly markets: SimMarket[] = [];
  readonly events: SimEvent[] = [];
  private nextMarketId = FIRST_MARKET_ID;
  private nextEventId = FIRST_EVENT_ID;
  /** Events and markets have separate slug namespaces (a single-market event shares its market's slug). */
  private readonly slugs = { event: new Set<string>(), market: new Set<string>() };

  constructor(private readonly rng: Rng) {}

  private uniqueSlug(kind: "event" | "market", base: string): string {
    const taken = this.slugs[kind];
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  }

  private event(title: string, slug: string, description: string, category: string, tags: SimTag[], endDate: string, negRisk: boolean): SimEvent {
    const rng = this.rng;
    const ev: SimEvent = {
      id: String(this.nextEventId),
      ticker: slug,
      slug: this.uniqueSlug("event", slug),
      title,
      description,
      negRisk,
      negRiskMarketId: negRisk ? `0x${rng.hex(31)}00` : "",
      category,
      tags,
      startDate: isoDate(rng, 2026, 1, 9),
      endDate,
      createdAt: isoDate(rng, 2026, 1, 9),
      image: `https://polymarket-upload.s3.us-east-2.amazonaws.com/${slug}.png`,
      marketIds: [],
    };
    this.nextEventId += 1 + rng.int(40);
    this.events.push(ev);
    return ev;
  }

  private market(ev: SimEvent, fields: Pick<SimMarket, "question" | "description" | "outcomes" | "tickSize" | "version" | "groupItemTitle" | "volume24hr"> & { price: string; slug: string; legIndex: number }): SimMarket {
    const rng = this.rng;
    const { volume, liquidity } = volumeText(rng, fields.volume24hr);
    const m: SimMarket = {
      id: String(this.nextMarketId),
      conditionId: bytes32(rng),
      questionId: ev.negRisk ? `${ev.negRiskMarketId.slice(0, -2)}${fields.legIndex.toString(16).padStart(2, "0")}` : bytes32(rng),
      question: fields.question,
      slug: this.uniqueSlug("market", fields.slug),
      description: fields.description,
      outcomes: fields.outcomes,
      tokenIds: [tokenIdFrom(rng), tokenIdFrom(rng)],
      negRisk: ev.negRisk,
      negRiskMarketId: ev.negRiskMarketId,
      negRiskRequestId: ev.negRisk ? bytes32(rng) : "",
      tickSize: fields.tickSize,
      tick: toMicros(fields.tickSize),
      minOrderSize: 5,
      version: fields.version,
      eventId: ev.id,
      groupItemTitle: fields.groupItemTitle,
      category: ev.category,
      tags: ev.tags,
      startDate: ev.startDate,
      endDate: ev.endDate,
      createdAt: ev.createdAt,
      volume,
      volume24hr: fields.volume24hr,
      liquidity,
      image: ev.image,
      startPrice: toMicros(fields.price),
      closed: false,
      acceptingOrders: true,
    };
    this.nextMarketId += 1 + rng.int(25);
    ev.marketIds.push(m.id);
    this.markets.push(m);
    return m;
  }

  binary(entry: CatalogBinary): void {
    const ev = this.event(entry.question, entry.slug, entry.description, entry.category, entry.tags, entry.endDate, false);
    this.market(ev, { ...entry, tickSize: entry.tick, groupItemTitle: "", legIndex: 0 });
  }

  negRisk(entry: CatalogNegRiskEvent): void {
    const ev = this.event(entry.title, entry.slug, entry.description, entry.category, entry.tags, entry.endDate, true);
    entry.legs.forEach((leg, i) =>
      this.market(ev, {
        question: leg.question,
        description: entry.description,
        outcomes: ["Yes", "No"],
        tickSize: entry.tick,
        version: "v1",
        groupItemTitle: leg.name,
        volume24hr: leg.volume24hr,
        price: leg.price,
        slug: slugify(leg.question),
        legIndex: i,
      }),
    );
  }

  /** A neg-risk event of four candidate markets ("Will <name> win <contest>?"), for the scale scenario. */
  candidates(index: number): void {
    const rng = this.rng;
    const contest = `${SCALE_CONTESTS[index % SCALE_CONTESTS.length]} ${2027 + Math.floor(index / (8 * SCALE_CONTESTS.length)) % 12}`;
    const tag = PROCEDURAL.tags[index % PROCEDURAL.tags.length]!;
    const ev = this.event(`Who will win the ${contest}?`, slugify(`who will win the ${contest}`), `This event resolves to the winner of the ${contest}.`, tag.label, [tag], "2027-11-30T20:00:00Z", true);
    for (let leg = 0; leg < 4; leg++) {
      const name = SCALE_NAMES[(index + leg * 7) % SCALE_NAMES.length]!;
      const question = `Will ${name} win the ${contest}?`;
      this.market(ev, {
        question, description: ev.description, outcomes: ["Yes", "No"], tickSize: "0.01", version: "v1", groupItemTitle: name,
        volume24hr: fromMicros(BigInt(rng.int(20_000_000_000))), price: `0.${String(5 + rng.int(40)).padStart(2, "0")}`, slug: slugify(question), legIndex: leg,
      });
    }
  }

  /** Scale scenario: one generated market in 25 closed, one in 100 of those resolved (Yes won). */
  closeSome(from: number): void {
    for (let i = from; i < this.markets.length; i++) {
      if ((i - from) % 25 !== 24) continue;
      const m = this.markets[i]!;
      m.closed = true;
      m.acceptingOrders = false;
      m.closedTime = "2026-11-20 12:00:00+00";
      if ((i - from) % 100 === 99) m.winner = 0;
    }
  }

  procedural(index: number): void {
    const rng = this.rng;
    const p = PROCEDURAL;
    const subject = p.subjects[index % p.subjects.length]!;
    const threshold = p.thresholds[Math.floor(index / p.subjects.length) % p.thresholds.length]!;
    const move = p.moves[Math.floor(index / (p.subjects.length * p.thresholds.length)) % p.moves.length]!;
    const [monthName, month] = p.months[Math.floor(index / (p.subjects.length * p.thresholds.length * 2)) % 12]!;
    const year = 2027 + Math.floor(index / (p.subjects.length * p.thresholds.length * 2 * 12));
    const question = `Will ${subject} ${move} ${threshold} or more in ${monthName} ${year}?`;
    const tick = rng.chance(0.25) ? "0.001" : "0.01";
    const steps = tick === "0.01" ? 5 + rng.int(91) : 50 + rng.int(901);
    const price = tick === "0.01" ? `0.${String(steps).padStart(2, "0")}` : `0.${String(steps).padStart(3, "0")}`;
    const tag = rng.pick(p.tags);
    const ev = this.event(question, slugify(question), `This market will resolve to "Yes" if ${subject} closes ${month}/${year} with a ${move} of ${threshold} or more versus the prior month's close. Otherwise, this market will resolve to "No".`, tag.label, [tag], `${year}-${month}-28T20:00:00Z`, false);
    this.market(ev, {
      question,
      description: ev.description,
      outcomes: ["Yes", "No"],
      tickSize: tick,
      version: "v1",
      groupItemTitle: "",
      volume24hr: fromMicros(BigInt(rng.int(50_000_000_000))),
      price,
      slug: ev.slug,
      legIndex: 0,
    });
  }
}

const SCALE_CONTESTS = ["Eurovision final", "Ballon d'Or", "Super Bowl MVP award", "Nobel Peace Prize", "Best Picture Oscar", "Tour de France", "US Open", "F1 drivers' title", "Booker Prize", "World Chess Championship"];
const SCALE_NAMES = ["Mbappe", "Haaland", "Bellingham", "Yamal", "Verstappen", "Norris", "Leclerc", "Alcaraz", "Sinner", "Swiatek", "Gauff", "Carlsen", "Nakamura", "Gukesh", "Pogacar", "Vingegaard", "Evenepoel", "Mahomes", "Allen", "Hurts", "Lamar", "Villeneuve", "Gerwig", "Nolan", "Coogler", "Zelensky", "Guterres", "Thunberg", "Rushdie", "Adichie"];

/** The seeded markets and events. Same options → same ids, questions and prices. */
export function buildSeed(opts: SeedOptions): SeedData {
  const builder = new Builder(createRng(opts.seed).fork("seed"));
  for (const entry of CATALOG) {
    if (entry.kind === "binary") builder.binary(entry);
    else builder.negRisk(entry);
  }
  const count = opts.marketCount ?? 0;
  for (let i = 0; i < count; ) {
    if (opts.scale && i % 8 === 0 && i + 4 <= count) {
      builder.candidates(i);
      i += 4;
    } else builder.procedural(i++);
  }
  if (opts.scale) builder.closeSome(builder.markets.length - count);
  return { markets: builder.markets, events: builder.events };
}

