/**
 * One showroom (route `/showroom/:id`): its name, the walkable 3D room, the accessible list of its products,
 * and the product card that either of them opens. Reads the showroom and its products from the local
 * database; the 3D view's code loads on demand.
 */
import { lazy, Suspense, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useParams } from 'wouter';
import { db } from '../../db/db';
import type { Product } from '../../protocol/catalog';
import { useCatalogStatus } from '../../sync/use-catalog-status';
import FixtureList from './FixtureList';
import ProductCardDialog from './ProductCardDialog';
import { fixtureVariant } from './showroom-scene';
import './showroom.css';

const ShowroomView = lazy(() => import('./ShowroomView'));

/**
 * Page of one showroom. `offlineControl` renders what the app composes in for offline use of this showroom
 * ("Save for offline"), under its description.
 */
export default function ShowroomPage({
  offlineControl,
}: {
  offlineControl?: (showroomId: string) => ReactNode;
}) {
  const { id = '' } = useParams();
  const showroom = useLiveQuery(async () => (await db.showrooms.get(id)) ?? null, [id]);
  const products = useLiveQuery(async () => {
    if (!showroom) return new Map<string, Product>();
    const ids = [...new Set(showroom.fixtures.map((f) => f.productId))];
    const found = await db.products.bulkGet(ids);
    return new Map(found.filter((p): p is Product => p !== undefined).map((p) => [p.id, p]));
  }, [showroom]);
  const { hasCatalog } = useCatalogStatus();
  const [openFixtureId, setOpenFixtureId] = useState<string | null>(null);
  const [skuByFixture, setSkuByFixture] = useState<Readonly<Record<string, string>>>({});
  const viewRef = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const openFixture = useCallback((fixtureId: string) => {
    const active = document.activeElement;
    returnFocus.current =
      active instanceof HTMLElement && active !== document.body ? active : viewRef.current;
    setOpenFixtureId(fixtureId);
  }, []);

  const closeCard = useCallback(() => {
    setOpenFixtureId(null);
    const target = returnFocus.current?.isConnected ? returnFocus.current : viewRef.current;
    target?.focus({ preventScroll: true });
  }, []);

  const open = useMemo(() => {
    if (!showroom || !products || !openFixtureId) return null;
    const fixture = showroom.fixtures.find((f) => f.id === openFixtureId);
    const product = fixture && products.get(fixture.productId);
    if (!fixture || !product) return null;
    return { fixture, product, variant: fixtureVariant(product, fixture, skuByFixture[fixture.id]) };
  }, [showroom, products, openFixtureId, skuByFixture]);

  if (showroom === null && hasCatalog) {
    return (
      <div className="showroom-page">
        <h1>Showroom not found</h1>
        <p>
          There is no showroom at this address. <Link to="/showrooms">See all showrooms</Link>.
        </p>
      </div>
    );
  }
  if (!showroom || !products) {
    return (
      <div className="showroom-page">
        <h1>Showroom</h1>
        <p role="status">Loading showroom…</p>
      </div>
    );
  }

  const placeholder = (
    <div
      className="showroom-view"
      data-testid="showroom-view"
      data-state="loading"
      ref={viewRef}
      tabIndex={0}
    >
      <p className="showroom-view-note">Loading the 3D room…</p>
    </div>
  );
  return (
    <div className="showroom-page">
      <h1>{showroom.name}</h1>
      <p className="showroom-description">{showroom.description}</p>
      {offlineControl?.(showroom.id)}
      <div className="showroom-stage">
        <Suspense fallback={placeholder}>
          <ShowroomView
            key={showroom.id}
            ref={viewRef}
            showroom={showroom}
            products={products}
            skuByFixture={skuByFixture}
            onOpenFixture={openFixture}
            onChooseVariant={(fixtureId, sku) => setSkuByFixture((prev) => ({ ...prev, [fixtureId]: sku }))}
          />
        </Suspense>
        {open && (
          <ProductCardDialog
            key={open.fixture.id}
            product={open.product}
            variant={open.variant}
            onVariantChange={(sku) => setSkuByFixture((prev) => ({ ...prev, [open.fixture.id]: sku }))}
            onClose={closeCard}
          />
        )}
      </div>
      <FixtureList fixtures={showroom.fixtures} products={products} onOpen={openFixture} />
    </div>
  );
}
