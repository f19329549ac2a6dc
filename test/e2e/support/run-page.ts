// A page object for running jobs: the run dialog, the jobs view and a job's terminal. Tests say
// what a user does ("run this", "type into the terminal"); this file knows the test ids.
import type { Locator, Page } from 'playwright-core';

export class RunPage {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByTestId('run-dialog');
  }

  field(testId: string): Locator {
    return this.dialog.getByTestId(testId);
  }

  /** Opens the run dialog for the image of a row: select the row, then "Run…" in its detail pane. */
  async openFromRow(row: Locator): Promise<void> {
    await row.click();
    await this.page.getByTestId('image-run').click();
    await this.dialog.waitFor({ state: 'visible' });
  }

  async fillCommand(text: string): Promise<void> {
    await this.field('run-command').fill(text);
  }

  async addEnv(name: string, value: string): Promise<void> {
    const index = await this.dialog.locator('[data-testid^="run-env-name-"]').count();
    await this.field('run-env-add').click();
    await this.field(`run-env-name-${index}`).fill(name);
    await this.field(`run-env-value-${index}`).fill(value);
  }

  get preview(): Locator {
    return this.field('run-preview');
  }

  get problems(): Locator {
    return this.field('run-problems');
  }

  async submit(): Promise<void> {
    await this.field('run-submit').click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  get jobList(): Locator {
    return this.page.getByTestId('job-list');
  }

  jobRow(jobId: string): Locator {
    return this.page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  }

  get terminal(): Locator {
    return this.page.getByTestId('terminal');
  }

  /** The job whose terminal is shown (the one just started, after a run). */
  async shownJobId(): Promise<string> {
    await this.terminal.waitFor({ state: 'visible' });
    return (await this.terminal.getAttribute('data-job-id')) ?? '';
  }

  /** What the terminal shows on screen (xterm's rows). */
  async terminalText(): Promise<string> {
    return this.terminal.locator('.xterm-rows').innerText();
  }

  action(name: 'stop' | 'kill' | 'rerun' | 'edit' | 'delete' | 'shell'): Locator {
    return this.page.getByTestId(`job-${name}`);
  }
}
