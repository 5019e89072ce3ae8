// The bot's commands as Telegram lists them (the contract's command list), and the updates it handles.

export const BOT_COMMANDS = [
  { command: "start", description: "Open the main menu" },
  { command: "markets", description: "Trending markets" },
  { command: "search", description: "Search markets: /search <words>" },
  { command: "positions", description: "Your positions and P&L" },
  { command: "wallet", description: "Wallet, paper or live mode" },
  { command: "settings", description: "Buy amounts, slippage, default TP/SL" },
  { command: "help", description: "How it works, and the risks" },
] as const;

/** Only what the bot handles: nothing else is delivered (or billed as a Worker request). Edited messages: a key pasted by an edit is deleted too. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;
