import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { db, VitrineDB } from '../../src/db/db';
import { isClosedByUpgrade, subscribeClosedByUpgrade } from '../../src/db/version-change';

/** The app's database as a newer version of Vitrine, opened in another tab, would declare it. */
class NewerVitrineDB extends VitrineDB {
  constructor() {
    super();
    this.version(db.verno + 1).stores({ wishlist: 'sku' });
  }
}

describe('another tab upgrades the database', () => {
  test('this tab closes it at once, says so, and the upgrade keeps the cart', async () => {
    await db.open();
    await db.cartLines.put({ sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 1 });
    expect(isClosedByUpgrade()).toBe(false);
    let told = 0;
    const unsubscribe = subscribeClosedByUpgrade(() => told++);

    const newer = new NewerVitrineDB();
    // Without this tab letting go, the upgrade would be blocked and this open would never settle.
    await newer.open();

    expect(told).toBe(1);
    expect(isClosedByUpgrade()).toBe(true);
    expect(db.isOpen()).toBe(false);
    expect(newer.verno).toBe(db.verno + 1);
    expect(await newer.cartLines.toArray()).toEqual([
      { sku: 'OAK-CHAIR-NAT', productId: 'oak-lounge-chair', qty: 2, addedAt: 1 },
    ]);
    unsubscribe();
    newer.close();
  });
});
