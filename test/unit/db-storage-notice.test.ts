import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, test } from 'vitest';
import { storageNoticeText } from '../../src/app/StorageNotice';
import { db } from '../../src/db/db';
import { dismissStorageNotice, noteStorageFull, readStorageNotice } from '../../src/db/storage-notice';

beforeEach(async () => {
  await db.meta.clear();
});

describe('storage notice', () => {
  test('there is none until the disk fills', async () => {
    expect(await readStorageNotice()).toBeUndefined();
  });

  test('events add up until the shopper dismisses them', async () => {
    await noteStorageFull({ evictedFiles: 3, evictedBytes: 3_000_000, notStored: 0 }, 1000);
    await noteStorageFull({ evictedFiles: 1, evictedBytes: 500_000, notStored: 1 }, 2000);
    expect(await readStorageNotice()).toEqual({
      at: 2000,
      evictedFiles: 4,
      evictedBytes: 3_500_000,
      notStored: 1,
    });
    await dismissStorageNotice();
    expect(await readStorageNotice()).toBeUndefined();
  });

  test('events from two contexts at once are both counted', async () => {
    await Promise.all([
      noteStorageFull({ evictedFiles: 2, evictedBytes: 10, notStored: 0 }),
      noteStorageFull({ evictedFiles: 5, evictedBytes: 20, notStored: 1 }),
    ]);
    expect(await readStorageNotice()).toMatchObject({ evictedFiles: 7, evictedBytes: 30, notStored: 1 });
  });

  test('the sentence says what was removed, what was not kept, and what is safe', () => {
    const text = storageNoticeText({ at: 0, evictedFiles: 2, evictedBytes: 3_500_000, notStored: 1 });
    expect(text).toMatch(/^This device ran out of storage\./);
    expect(text).toContain('2 3D models you had not saved for offline (3.5 MB) were removed');
    expect(text).toContain('One file could not be kept for offline use.');
    expect(text).toContain('What you saved for offline and your cart are kept.');
    expect(storageNoticeText({ at: 0, evictedFiles: 1, evictedBytes: 800, notStored: 0 })).toContain(
      '1 3D model you had not saved for offline (1 kB) was removed',
    );
  });
});
