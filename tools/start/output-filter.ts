// What `npm start` shows of wrangler's own output: request lines only when they failed (4xx/5xx) or
// when LOG_REQUESTS=true, and the two warnings every offline start prints (no Request.cf object, cron
// not triggered locally) replaced by nothing: npm start fires the cron itself, and README says why
// the placeholder is harmless. Everything else passes untouched.

const REQUEST_LINE = /^\[wrangler:info\] (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ (\d{3})\b/;
const CF_WARNING = /Unable to fetch the `Request\.cf` object/;
const STACK_LINE = /^\s+at |^Error: getaddrinfo/;
const CRON_WARNING = /Scheduled Workers are not automatically triggered/;
const CRON_WARNING_END = /cron-triggers/;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export class WranglerOutputFilter {
  private skipping: "none" | "stack" | "cron" = "none";
  /** A line was just dropped: the blank lines around what was dropped go too. */
  private afterSkip = false;

  constructor(private readonly opts: { logRequests: boolean }) {}

  /** One line of output in (without its newline), the lines to show out. */
  line(raw: string): string[] {
    const shown = this.decide(raw.replace(ANSI, ""));
    if (!shown) this.afterSkip = true;
    else if (raw.trim() !== "") this.afterSkip = false;
    else if (this.afterSkip) return [];
    return shown ? [raw] : [];
  }

  private decide(plain: string): boolean {
    if (this.skipping === "stack") {
      if (STACK_LINE.test(plain)) return false;
      this.skipping = "none";
    }
    if (this.skipping === "cron") {
      if (CRON_WARNING_END.test(plain)) this.skipping = "none";
      return false;
    }
    if (CF_WARNING.test(plain)) {
      this.skipping = "stack";
      return false;
    }
    if (CRON_WARNING.test(plain)) {
      this.skipping = "cron";
      return false;
    }
    const req = REQUEST_LINE.exec(plain);
    return !(req && !this.opts.logRequests && Number(req[2]) < 400);
  }
}
