// Drives the Telegram playground page the way a person does: press buttons, type, read the bot's screens.
import type { Locator, Page } from "playwright-core";

const BOT_MESSAGE = '[data-testid="message"][data-from="bot"]';
/** One Refresh answer normally lands well within this; the loop presses again after it. */
const REFRESH_WAIT_MS = 1_500;

export const buttonSelector = (label: string) => `[data-testid="button"][data-label=${JSON.stringify(label)}]`;

export class PlaygroundDriver {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(`${url}/`);
    await this.page.getByTestId("empty-chat").waitFor();
  }

  /** The newest bot message whose text matches, once it is on the page. */
  async botMessage(text: string | RegExp, timeout?: number): Promise<Locator> {
    const message = this.botMessages(text).last();
    await message.waitFor(timeout === undefined ? undefined : { timeout });
    return message;
  }

  /** The text of the newest bot message matching `text` (waits for it). */
  async botText(text: string | RegExp): Promise<string> {
    return (await this.botMessage(text)).getByTestId("message-text").innerText();
  }

  /** The labels of the keyboard under the newest bot message matching `text`. */
  async buttonsOf(text: string | RegExp): Promise<string[]> {
    const buttons = (await this.botMessage(text)).getByTestId("button");
    return Promise.all((await buttons.all()).map(async (b) => (await b.getAttribute("data-label")) ?? ""));
  }

  /** Bot messages whose text (not their buttons' labels) matches. */
  botMessages(text: string | RegExp): Locator {
    return this.page.locator(BOT_MESSAGE).filter({ has: this.page.getByTestId("message-text").filter({ hasText: text }) });
  }

  /** Presses the newest button with this exact label, then waits for a bot message matching `then`. */
  async press(label: string, then: string | RegExp): Promise<Locator> {
    await this.page.locator(buttonSelector(label)).last().click();
    return this.botMessage(then);
  }

  /** Presses the newest button whose label contains `part` (market buttons carry a number and a cut question). */
  async pressContaining(part: string, then: string | RegExp): Promise<Locator> {
    await this.page.getByTestId("button").filter({ hasText: part }).last().click();
    return this.botMessage(then);
  }

  /** Types a message and sends it, then waits for a new bot message (an answer, not an old screen) matching `then`. */
  async send(text: string, then: string | RegExp): Promise<Locator> {
    const matching = this.botMessages(then);
    const answer = matching.nth(await matching.count());
    await this.page.getByTestId("input").fill(text);
    await this.page.getByTestId("send").click();
    await answer.waitFor();
    return answer;
  }

  /**
   * Presses `label` (a Refresh) until a bot message matches `then`: the price reaches the bot
   * through the stream a moment after the venue moved, as a person pressing Refresh would see.
   */
  async pressUntil(label: string, then: string | RegExp, deadlineMs: number): Promise<Locator> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      await this.page.locator(buttonSelector(label)).last().click();
      try {
        return await this.botMessage(then, REFRESH_WAIT_MS);
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }
}
