// The job list's columns; widths in styles.css (--job-columns), shared by header and rows.
export const jobColumns = ['State', 'Engine', 'Image', 'Command', 'Started', 'Duration'] as const;

/** Fixed row height: no measuring, so thousands of jobs scroll smoothly. */
export const JOB_ROW_HEIGHT = 32;
