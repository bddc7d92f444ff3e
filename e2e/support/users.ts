import type { Browser, BrowserContext, Page } from '@playwright/test';

/**
 * Other users, each in a browser context of their own (own storage, own tabs). Close them after
 * each test, or their pages go on reconnecting to shims that no longer exist.
 */
export class OtherUsers {
  private readonly contexts: BrowserContext[] = [];

  async open(browser: Browser): Promise<Page> {
    const context = await browser.newContext();
    this.contexts.push(context);
    return context.newPage();
  }

  async closeAll(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close();
  }
}
