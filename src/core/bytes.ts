/** Sizes of files and storage, for people. */

/**
 * Kilobytes below one megabyte ("48 kB"), megabytes with one decimal below one gigabyte ("2.4 MB"), else
 * gigabytes ("12.3 GB"); SI units, as storage is sold.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1_000))} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}
