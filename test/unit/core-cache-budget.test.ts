import { describe, expect, test } from 'vitest';
import {
  chooseEvictions,
  isQuotaError,
  putWithQuotaRetry,
  unpinnedByAge,
  type BudgetEntry,
} from '../../src/core/cache-budget';

const entry = (url: string, bytes: number, lastUsed: number, pinned = false): BudgetEntry => ({
  url,
  bytes,
  lastUsed,
  pinned,
});

const quotaError = () => new DOMException('full', 'QuotaExceededError');

describe('chooseEvictions', () => {
  test('evicts nothing within budget', () => {
    expect(chooseEvictions([entry('a', 40, 1), entry('b', 60, 2)], 100)).toEqual([]);
  });

  test('evicts least recently used first, only as many as needed to fit', () => {
    const entries = [entry('new', 50, 30), entry('old', 50, 10), entry('mid', 50, 20)];
    const evicted = chooseEvictions(entries, 100);
    expect(evicted).toEqual(['old']);
    const kept = entries.filter((e) => !evicted.includes(e.url));
    expect(kept.reduce((s, e) => s + e.bytes, 0)).toBeLessThanOrEqual(100);
    expect(chooseEvictions(entries, 60)).toEqual(['old', 'mid']);
  });

  test('never evicts a pinned entry, even when pinned files alone exceed the budget', () => {
    const entries = [entry('pinned-old', 80, 1, true), entry('free', 30, 5), entry('pinned', 80, 9, true)];
    expect(chooseEvictions(entries, 100)).toEqual(['free']);
    expect(chooseEvictions(entries, 170)).toEqual(['free']);
    expect(chooseEvictions(entries, 190)).toEqual([]);
  });

  test('breaks ties in age by URL, so the choice is stable', () => {
    expect(chooseEvictions([entry('b', 10, 1), entry('a', 10, 1), entry('c', 10, 1)], 15)).toEqual([
      'a',
      'b',
    ]);
  });

  test('unpinnedByAge lists every unpinned entry, oldest first', () => {
    expect(unpinnedByAge([entry('x', 1, 3), entry('p', 1, 1, true), entry('y', 1, 2)])).toEqual(['y', 'x']);
    expect(unpinnedByAge([])).toEqual([]);
  });
});

describe('putWithQuotaRetry', () => {
  test('a put that succeeds makes no room', async () => {
    let made = 0;
    await expect(
      putWithQuotaRetry(
        async () => 'ok',
        async () => made++,
      ),
    ).resolves.toBe('ok');
    expect(made).toBe(0);
  });

  test('a quota error makes room and retries exactly once', async () => {
    const calls: string[] = [];
    let puts = 0;
    const result = await putWithQuotaRetry(
      async () => {
        calls.push('put');
        if (puts++ === 0) throw quotaError();
        return 'stored';
      },
      async () => calls.push('evict'),
    );
    expect(result).toBe('stored');
    expect(calls).toEqual(['put', 'evict', 'put']);
  });

  test('a second quota error is thrown, after one retry', async () => {
    let puts = 0;
    let made = 0;
    const attempt = putWithQuotaRetry(
      async () => {
        puts++;
        throw quotaError();
      },
      async () => made++,
    );
    await expect(attempt).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect([puts, made]).toEqual([2, 1]);
  });

  test('other errors are not retried', async () => {
    let made = 0;
    const attempt = putWithQuotaRetry(
      async () => {
        throw new TypeError('network');
      },
      async () => made++,
    );
    await expect(attempt).rejects.toBeInstanceOf(TypeError);
    expect(made).toBe(0);
  });

  test('isQuotaError knows the quota error by name', () => {
    expect(isQuotaError(quotaError())).toBe(true);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
