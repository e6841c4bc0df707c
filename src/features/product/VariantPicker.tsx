import { formatMoney } from '../../core/money';
import type { Variant } from '../../protocol/catalog';
import { variantLegend } from './product-text';

interface VariantPickerProps {
  variants: readonly Variant[];
  selectedSku: string;
  onSelect: (sku: string) => void;
}

/** One radio per variant, named by the variant; the price is shown beside a name when variants differ in it. */
export default function VariantPicker({ variants, selectedSku, onSelect }: VariantPickerProps) {
  const pricesDiffer = new Set(variants.map((v) => `${v.price.amount} ${v.price.currency}`)).size > 1;
  return (
    <fieldset className="variant-picker">
      <legend>{variantLegend(variants)}</legend>
      {variants.map((variant) => (
        <div className="variant-option" key={variant.sku}>
          <input
            type="radio"
            id={`variant-${variant.sku}`}
            name="variant"
            value={variant.sku}
            checked={variant.sku === selectedSku}
            onChange={() => onSelect(variant.sku)}
            aria-describedby={pricesDiffer ? `variant-${variant.sku}-price` : undefined}
          />
          <label htmlFor={`variant-${variant.sku}`}>{variant.name}</label>
          {pricesDiffer && (
            <span className="variant-price" id={`variant-${variant.sku}-price`}>
              {formatMoney(variant.price)}
            </span>
          )}
        </div>
      ))}
    </fieldset>
  );
}
