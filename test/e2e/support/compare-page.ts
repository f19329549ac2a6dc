// A page object for the Compare view: the feature matrix and its filters, the "Run on all
// engines" panel, and a comparison's results. Tests say what a user does; this file knows the
// test ids.
import type { Locator, Page } from 'playwright-core';

export class ComparePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('view-compare').click();
    await this.matrix.waitFor({ state: 'visible' });
  }

  get matrix(): Locator {
    return this.page.getByTestId('feature-matrix');
  }

  get engineColumns(): Locator {
    return this.matrix.locator('[data-testid^="engine-column-"]');
  }

  engineColumn(engineId: string): Locator {
    return this.page.getByTestId(`engine-column-${engineId}`);
  }

  get featureRows(): Locator {
    return this.matrix.getByTestId('feature-row');
  }

  filter(id: string): Locator {
    return this.page.getByTestId(`feature-filter-${id}`);
  }

  get matchCount(): Locator {
    return this.page.getByTestId('feature-match-count');
  }

  /** Engine ids whose header says it matches, in column order. */
  async matchingColumns(): Promise<string[]> {
    return this.engineColumns.evaluateAll((headers) =>
      headers.filter((header) => header.getAttribute('data-matches') === 'true').map((header) => (header.getAttribute('data-testid') ?? '').replace('engine-column-', '')),
    );
  }

  get setup(): Locator {
    return this.page.getByTestId('compare-setup');
  }

  target(key: string): Locator {
    return this.page.getByTestId(`compare-target-${key}`);
  }

  /** Every target the panel lists, by key ("docker", "udocker-P1"), with whether it may be ticked. */
  async targets(): Promise<Array<{ key: string; enabled: boolean; checked: boolean }>> {
    return this.setup.locator('[data-testid^="compare-target-"]').evaluateAll((items) =>
      items.map((item) => {
        const box = item.querySelector<HTMLInputElement>('input[type="checkbox"]');
        return { key: (item.getAttribute('data-testid') ?? '').replace('compare-target-', ''), enabled: box ? !box.disabled : false, checked: box?.checked ?? false };
      }),
    );
  }

  get current(): Locator {
    return this.page.getByTestId('compare-current');
  }

  get results(): Locator {
    return this.page.getByTestId('compare-results');
  }

  get rows(): Locator {
    return this.results.getByTestId('compare-row');
  }

  /** The table as the export writes it: the header, then each row's cell texts. */
  async tableRows(): Promise<string[][]> {
    return this.results.evaluate((table) => {
      const header = [...table.querySelectorAll('thead th')].map((cell) => (cell.textContent ?? '').trim());
      const body = [...table.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('[data-cell]')].map((cell) => cell.textContent ?? ''));
      return [header, ...body];
    });
  }
}

/** RFC 4180: quoted fields with doubled quotes, CRLF between records. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
