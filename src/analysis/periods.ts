/**
 * Calendar periods in SQL. Lines are grouped on `date_trunc` (a DATE) and only the few groups are formatted:
 * formatting the period of every line before grouping made a million-line monthly series three times slower.
 */

/** "2024-Q3" for a DATE expression (one that is already truncated to its quarter, or any day in it). */
export const quarterLabel = (d: string) => `strftime(${d}, '%Y') || '-Q' || quarter(${d})`;
