import { expect, test } from 'vitest';
import { formatBytes } from '../../src/core/bytes';

test('sizes under a megabyte read in kilobytes, never as 0.0 MB', () => {
  expect(formatBytes(0)).toBe('0 kB');
  expect(formatBytes(120)).toBe('1 kB');
  expect(formatBytes(48_400)).toBe('48 kB');
  expect(formatBytes(999_499)).toBe('999 kB');
});

test('larger sizes read in megabytes with one decimal', () => {
  expect(formatBytes(1_000_000)).toBe('1.0 MB');
  expect(formatBytes(2_449_000)).toBe('2.4 MB');
  expect(formatBytes(1_973_266)).toBe('2.0 MB');
});

test('storage sizes read in gigabytes', () => {
  expect(formatBytes(999_999_999)).toBe('1000.0 MB');
  expect(formatBytes(12_340_000_000)).toBe('12.3 GB');
});
