// Hand-written seed catalogue for the local Polymarket: real-looking questions, outcomes, ticks and prices.
// Covers what the product must handle: Yes/No, named outcomes, neg-risk events, 0.01/0.001/0.0001 ticks, v2 markets.

export interface CatalogTag {
  id: string;
  label: string;
  slug: string;
}

const TAG = {
  politics: { id: "2", label: "Politics", slug: "politics" },
  elections: { id: "144", label: "Elections", slug: "elections" },
  crypto: { id: "21", label: "Crypto", slug: "crypto" },
  bitcoin: { id: "235", label: "Bitcoin", slug: "bitcoin" },
  ethereum: { id: "39", label: "Ethereum", slug: "ethereum" },
  sports: { id: "1", label: "Sports", slug: "sports" },
  nba: { id: "745", label: "NBA", slug: "nba" },
  economy: { id: "100328", label: "Economy", slug: "economy" },
  fed: { id: "100196", label: "Fed Rates", slug: "fed-rates" },
  tech: { id: "1401", label: "Tech", slug: "tech" },
  ai: { id: "439", label: "AI", slug: "ai" },
  science: { id: "74", label: "Science", slug: "science" },
  space: { id: "1118", label: "Space", slug: "space" },
} satisfies Record<string, CatalogTag>;

export interface CatalogBinary {
  kind: "binary";
  question: string;
  slug: string;
  outcomes: [string, string];
  /** Starting price of the first outcome, on the tick. */
  price: string;
  tick: string;
  category: string;
  tags: CatalogTag[];
  endDate: string;
  description: string;
  version: "v1" | "v2";
  /** Rough 24 h volume in pUSD, as a decimal string. */
  volume24hr: string;
}

export interface CatalogNegRiskEvent {
  kind: "neg-risk";
  title: string;
  slug: string;
  category: string;
  tags: CatalogTag[];
  endDate: string;
  tick: string;
  description: string;
  /** One Yes/No market per leg; the leg prices sum to about 1. */
  legs: Array<{ name: string; price: string; question: string; volume24hr: string }>;
}

export type CatalogEntry = CatalogBinary | CatalogNegRiskEvent;

const yesNo: [string, string] = ["Yes", "No"];

export const CATALOG: CatalogEntry[] = [
  {
    kind: "binary",
    question: "Will Bitcoin reach $150,000 by June 30, 2027?",
    slug: "will-bitcoin-reach-150k-by-june-30-2027",
    outcomes: yesNo,
    price: "0.34",
    tick: "0.01",
    category: "Crypto",
    tags: [TAG.crypto, TAG.bitcoin],
    endDate: "2027-06-30T12:00:00Z",
    description:
      'This market will resolve to "Yes" if any Binance 1 minute candle for BTC/USDT between the market\'s creation and June 30, 2027, 11:59 PM ET has a final "High" price of $150,000 or higher. Otherwise, this market will resolve to "No".',
    version: "v1",
    volume24hr: "412873.55",
  },
  {
    kind: "binary",
    question: "Will Ethereum be above $5,000 on March 31, 2027?",
    slug: "ethereum-above-5000-on-march-31-2027",
    outcomes: yesNo,
    price: "0.215",
    tick: "0.001",
    category: "Crypto",
    tags: [TAG.crypto, TAG.ethereum],
    endDate: "2027-03-31T16:00:00Z",
    description:
      'This market will resolve to "Yes" if the Binance 1 minute candle for ETH/USDT at 12:00 ET on March 31, 2027 has a final "Close" price above $5,000. Otherwise, this market will resolve to "No".',
    version: "v1",
    volume24hr: "98211.04",
  },
  {
    kind: "binary",
    question: "Bitcoin Up or Down - December 31, 11:00PM-11:15PM ET",
    slug: "btc-updown-15m-1798776000",
    outcomes: ["Up", "Down"],
    price: "0.51",
    tick: "0.01",
    category: "Crypto",
    tags: [TAG.crypto, TAG.bitcoin],
    endDate: "2027-01-01T04:15:00Z",
    description:
      'This market will resolve to "Up" if the Bitcoin price at the end of the time range specified in the title is greater than or equal to the price at the beginning of that range. Otherwise, it will resolve to "Down".',
    version: "v1",
    volume24hr: "18250.7",
  },
  {
    kind: "binary",
    question: "Will the U.S. enter a recession in 2027?",
    slug: "us-recession-in-2027",
    outcomes: yesNo,
    price: "0.27",
    tick: "0.01",
    category: "Economy",
    tags: [TAG.economy],
    endDate: "2028-01-31T12:00:00Z",
    description:
      'This market will resolve to "Yes" if the NBER announces that a recession occurred in the United States at any point in 2027, or if two consecutive quarters of negative real GDP growth are reported for 2027. Otherwise, this market will resolve to "No".',
    version: "v1",
    volume24hr: "156320.12",
  },
  {
    kind: "binary",
    question: "Will Starship complete a full orbital flight by June 30, 2027?",
    slug: "starship-orbital-flight-by-june-30-2027",
    outcomes: yesNo,
    price: "0.62",
    tick: "0.01",
    category: "Science",
    tags: [TAG.science, TAG.space],
    endDate: "2027-06-30T23:59:00Z",
    description:
      'This market will resolve to "Yes" if a SpaceX Starship vehicle completes at least one full orbit of the Earth by June 30, 2027, 11:59 PM ET, as confirmed by SpaceX or credible reporting. Otherwise, this market will resolve to "No".',
    version: "v1",
    volume24hr: "64102.9",
  },
  {
    kind: "binary",
    question: "Lakers vs. Celtics",
    slug: "nba-lal-bos-2027-01-15",
    outcomes: ["Lakers", "Celtics"],
    price: "0.43",
    tick: "0.01",
    category: "Sports",
    tags: [TAG.sports, TAG.nba],
    endDate: "2027-01-16T03:30:00Z",
    description:
      'In the upcoming NBA game, scheduled for January 15 at 7:30 PM ET: If the Los Angeles Lakers win, the market will resolve to "Lakers". If the Boston Celtics win, the market will resolve to "Celtics".',
    version: "v1",
    volume24hr: "233871.4",
  },
  {
    kind: "binary",
    question: "Will the existence of extraterrestrial life be confirmed before 2028?",
    slug: "alien-life-confirmed-before-2028",
    outcomes: yesNo,
    price: "0.0042",
    tick: "0.0001",
    category: "Science",
    tags: [TAG.science],
    endDate: "2027-12-31T23:59:00Z",
    description:
      'This market will resolve to "Yes" if NASA or another major space agency officially confirms the discovery of extraterrestrial life before January 1, 2028. Otherwise, this market will resolve to "No".',
    version: "v1",
    volume24hr: "7321.66",
  },
  {
    kind: "binary",
    question: "Will OpenAI release GPT-6 before July 1, 2027?",
    slug: "openai-gpt-6-before-july-2027",
    outcomes: yesNo,
    price: "0.38",
    tick: "0.01",
    category: "Tech",
    tags: [TAG.tech, TAG.ai],
    endDate: "2027-06-30T23:59:00Z",
    description:
      'This market will resolve to "Yes" if OpenAI makes a model explicitly named GPT-6 publicly available before July 1, 2027, 12:00 AM ET. Otherwise, this market will resolve to "No".',
    version: "v2",
    volume24hr: "120433.8",
  },
  {
    kind: "binary",
    question: "Will Apple release a foldable iPhone in 2027?",
    slug: "apple-foldable-iphone-2027",
    outcomes: yesNo,
    price: "0.557",
    tick: "0.001",
    category: "Tech",
    tags: [TAG.tech],
    endDate: "2027-12-31T23:59:00Z",
    description:
      'This market will resolve to "Yes" if Apple releases a foldable iPhone for purchase by the general public between January 1, 2027 and December 31, 2027, 11:59 PM ET. Otherwise, this market will resolve to "No".',
    version: "v2",
    volume24hr: "45210.0",
  },
  {
    kind: "neg-risk",
    title: "Democratic Presidential Nominee 2028",
    slug: "democratic-presidential-nominee-2028",
    category: "Politics",
    tags: [TAG.politics, TAG.elections],
    endDate: "2028-11-07T00:00:00Z",
    tick: "0.001",
    description:
      'This market will resolve to "Yes" if the named individual wins and accepts the 2028 nomination of the Democratic Party for U.S. president. Otherwise, this market will resolve to "No".',
    legs: [
      { name: "Gavin Newsom", price: "0.318", question: "Will Gavin Newsom win the 2028 Democratic presidential nomination?", volume24hr: "812004.2" },
      { name: "Alexandria Ocasio-Cortez", price: "0.152", question: "Will Alexandria Ocasio-Cortez win the 2028 Democratic presidential nomination?", volume24hr: "402311.9" },
      { name: "Pete Buttigieg", price: "0.104", question: "Will Pete Buttigieg win the 2028 Democratic presidential nomination?", volume24hr: "190872.5" },
      { name: "Josh Shapiro", price: "0.087", question: "Will Josh Shapiro win the 2028 Democratic presidential nomination?", volume24hr: "150220.0" },
      { name: "Wes Moore", price: "0.041", question: "Will Wes Moore win the 2028 Democratic presidential nomination?", volume24hr: "61290.3" },
      { name: "Stephen A. Smith", price: "0.011", question: "Will Stephen A. Smith win the 2028 Democratic presidential nomination?", volume24hr: "12982.7" },
    ],
  },
  {
    kind: "neg-risk",
    title: "NBA Champion 2027",
    slug: "2027-nba-champion",
    category: "Sports",
    tags: [TAG.sports, TAG.nba],
    endDate: "2027-06-30T00:00:00Z",
    tick: "0.001",
    description:
      'This market will resolve to "Yes" if the listed team wins the 2027 NBA Finals. Otherwise, this market will resolve to "No".',
    legs: [
      { name: "Oklahoma City Thunder", price: "0.262", question: "Will the Oklahoma City Thunder win the 2027 NBA Finals?", volume24hr: "301228.1" },
      { name: "Boston Celtics", price: "0.141", question: "Will the Boston Celtics win the 2027 NBA Finals?", volume24hr: "188230.4" },
      { name: "Denver Nuggets", price: "0.118", question: "Will the Denver Nuggets win the 2027 NBA Finals?", volume24hr: "120874.9" },
      { name: "New York Knicks", price: "0.093", question: "Will the New York Knicks win the 2027 NBA Finals?", volume24hr: "97340.2" },
      { name: "Los Angeles Lakers", price: "0.046", question: "Will the Los Angeles Lakers win the 2027 NBA Finals?", volume24hr: "84403.0" },
    ],
  },
  {
    kind: "neg-risk",
    title: "Fed decision in January 2027?",
    slug: "fed-decision-in-january-2027",
    category: "Economy",
    tags: [TAG.economy, TAG.fed],
    endDate: "2027-01-27T19:00:00Z",
    tick: "0.01",
    description:
      "This market will resolve to the amount of basis points the upper bound of the target federal funds rate is changed by versus the level it was prior to the Federal Reserve's January 2027 meeting.",
    legs: [
      { name: "No change", price: "0.71", question: "Will the Fed make no change to interest rates after the January 2027 meeting?", volume24hr: "502113.6" },
      { name: "25 bps decrease", price: "0.25", question: "Will the Fed decrease interest rates by 25 bps after the January 2027 meeting?", volume24hr: "287004.4" },
      { name: "50+ bps decrease", price: "0.02", question: "Will the Fed decrease interest rates by 50+ bps after the January 2027 meeting?", volume24hr: "40210.0" },
      { name: "25+ bps increase", price: "0.01", question: "Will the Fed increase interest rates by 25+ bps after the January 2027 meeting?", volume24hr: "18870.9" },
    ],
  },
];

/** Building blocks of procedurally generated markets (`marketCount`). */
export const PROCEDURAL = {
  subjects: [
    "Solana", "XRP", "Dogecoin", "Cardano", "Chainlink", "Avalanche", "Tesla", "Nvidia", "Microsoft", "Amazon",
    "Gold", "Silver", "Crude oil", "The S&P 500", "The Nasdaq 100", "The 10-year Treasury yield", "The EUR/USD rate",
    "Netflix", "Meta", "Alphabet",
  ],
  thresholds: ["1%", "5%", "10%", "15%", "20%", "25%", "30%", "40%", "50%"],
  moves: ["gain", "lose"],
  months: [
    ["January", "01"], ["February", "02"], ["March", "03"], ["April", "04"], ["May", "05"], ["June", "06"],
    ["July", "07"], ["August", "08"], ["September", "09"], ["October", "10"], ["November", "11"], ["December", "12"],
  ] as Array<[string, string]>,
  tags: [TAG.economy, TAG.crypto, TAG.tech],
};
