// A page object for Crossdock's main window: tests say what a user does ("filter by", "delete
// this row") and this file knows how the window is built (roles, names, test ids).
import type { Locator, Page } from 'playwright-core';

export class MainWindow {
  constructor(readonly page: Page) {}

  /** Opens the printed URL (token included) and waits until every engine's first listing settled. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  }

  get enginesPanel(): Locator {
    return this.page.getByTestId('engines-panel');
  }

  engine(engineId: string): Locator {
    return this.page.getByTestId(`engine-${engineId}`);
  }

  get imageList(): Locator {
    return this.page.getByTestId('image-list');
  }

  get rows(): Locator {
    return this.page.getByTestId('image-row');
  }

  rowsOf(engineId: string): Locator {
    return this.page.locator(`[data-testid="image-row"][data-engine="${engineId}"]`);
  }

  rowFor(engineId: string, reference: string): Locator {
    return this.page.locator(`[data-testid="image-row"][data-engine="${engineId}"][data-reference="${reference}"]`);
  }

  /** The one row of an image the given engines all hold (one badge each), found by any copy's name. */
  sharedRow(engineIds: readonly string[], reference: string): Locator {
    const engines = engineIds.map((id) => `[data-engines~="${id}"]`).join('');
    return this.page.locator(`[data-testid="image-row"][data-merged="true"]${engines}[data-references~="${reference}"]`);
  }

  async filterText(text: string): Promise<void> {
    await this.page.getByTestId('image-filter').fill(text);
  }

  engineChip(engineId: string): Locator {
    return this.page.getByTestId(`engine-filter-${engineId}`);
  }

  get detail(): Locator {
    return this.page.getByTestId('image-detail');
  }

  get confirmDialog(): Locator {
    return this.page.getByTestId('confirm-dialog');
  }

  get count(): Locator {
    return this.page.getByTestId('image-count');
  }
}
