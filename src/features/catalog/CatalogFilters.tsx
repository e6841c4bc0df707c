import type { Category } from '../../protocol/catalog';
import type { CatalogUrlKey, CatalogUrlState } from './catalog-url';

interface CatalogFiltersProps {
  state: CatalogUrlState;
  categories: readonly Category[];
  /** Currency code(s) prices are in, for the hint under the price fields ("EUR"). */
  currencies: readonly string[];
  /** `replace`: typing replaces the history entry instead of adding one per keystroke. */
  onChange: (key: CatalogUrlKey, value: string, replace: boolean) => void;
}

/** Search box, category, price range and sort order of the catalog page. */
export default function CatalogFilters({ state, categories, currencies, onChange }: CatalogFiltersProps) {
  return (
    <form className="catalog-filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div className="field field-search">
        <label htmlFor="catalog-q">Search products</label>
        <input
          id="catalog-q"
          type="search"
          value={state.q}
          autoComplete="off"
          placeholder="Chair, oak, linen…"
          onChange={(e) => onChange('q', e.target.value, true)}
        />
      </div>
      <div className="field">
        <label htmlFor="catalog-category">Category</label>
        <select
          id="catalog-category"
          value={state.category}
          onChange={(e) => onChange('category', e.target.value, false)}
        >
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field-group">
        <legend>Price{currencies.length > 0 ? ` (${currencies.join(', ')})` : ''}</legend>
        <div className="field">
          <label htmlFor="catalog-min">Minimum price</label>
          <input
            id="catalog-min"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={state.min}
            onChange={(e) => onChange('min', e.target.value, true)}
          />
        </div>
        <div className="field">
          <label htmlFor="catalog-max">Maximum price</label>
          <input
            id="catalog-max"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={state.max}
            onChange={(e) => onChange('max', e.target.value, true)}
          />
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="catalog-sort">Sort by</label>
        <select
          id="catalog-sort"
          value={state.sort}
          onChange={(e) => onChange('sort', e.target.value, false)}
        >
          <option value="relevance">Relevance</option>
          <option value="price-asc">Price, low to high</option>
          <option value="price-desc">Price, high to low</option>
          <option value="name">Name</option>
        </select>
      </div>
    </form>
  );
}
