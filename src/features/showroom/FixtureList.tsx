/**
 * The accessible alternative to pointing in the 3D room: one button per fixture, named by its product, that
 * opens the same product card.
 */
import type { Fixture, Product } from '../../protocol/catalog';

/** Props of the list of products in a room. */
export interface FixtureListProps {
  fixtures: readonly Fixture[];
  products: ReadonlyMap<string, Product>;
  onOpen: (fixtureId: string) => void;
}

/** List of the room's products as buttons. */
export default function FixtureList({ fixtures, products, onOpen }: FixtureListProps) {
  return (
    <section className="showroom-products" aria-labelledby="showroom-products-heading">
      <h2 id="showroom-products-heading">In this room</h2>
      <ul aria-label="Products in this room" className="showroom-product-list">
        {fixtures.map((fixture) => {
          const product = products.get(fixture.productId);
          if (!product) return null;
          return (
            <li key={fixture.id}>
              <button type="button" onClick={() => onOpen(fixture.id)}>
                {product.name}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
