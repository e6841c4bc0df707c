/**
 * schema.org Product structured data for a product page, so that search engines and assistive tools read the
 * same identity, offers and return policy the shopper sees.
 */
import type { Brand, Product } from '../../protocol/catalog';
import { toDecimalString } from '../../core/money';

const SCHEMA = 'https://schema.org/';

/** A JSON-LD object ready for `JSON.stringify`. */
export type JsonLd = Record<string, unknown>;

/** The brand's MerchantReturnPolicy as JSON-LD. */
function returnPolicyJsonLd(brand: Brand): JsonLd {
  const policy = brand.returnPolicy;
  const out: JsonLd = {
    '@type': 'MerchantReturnPolicy',
    returnPolicyCategory: SCHEMA + policy.returnPolicyCategory,
    returnFees: SCHEMA + policy.returnFees,
    refundType: SCHEMA + policy.refundType,
    returnMethod: SCHEMA + policy.returnMethod,
  };
  if (policy.merchantReturnDays !== undefined) out.merchantReturnDays = policy.merchantReturnDays;
  if (policy.returnShippingFees) {
    out.returnShippingFeesAmount = {
      '@type': 'MonetaryAmount',
      value: toDecimalString(policy.returnShippingFees),
      currency: policy.returnShippingFees.currency,
    };
  }
  return out;
}

/**
 * The product as a schema.org Product: one Offer per variant with its price as a decimal string and
 * InStock/OutOfStock. `origin` turns the poster's path into an absolute URL (e.g. `location.origin`).
 */
export function productJsonLd(product: Product, brand: Brand | undefined, origin: string): JsonLd {
  const returnPolicy = brand ? returnPolicyJsonLd(brand) : undefined;
  const out: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    productID: product.id,
    name: product.name,
    description: product.description,
    sku: product.variants[0]?.sku,
    image: new URL(product.poster.url, origin).href,
    countryOfOrigin: { '@type': 'Country', name: product.countryOfOrigin },
    material: product.materials.join(', '),
    depth: { '@type': 'QuantitativeValue', value: product.dimensions.depth, unitCode: 'MTR' },
    height: { '@type': 'QuantitativeValue', value: product.dimensions.height, unitCode: 'MTR' },
    width: { '@type': 'QuantitativeValue', value: product.dimensions.width, unitCode: 'MTR' },
    offers: product.variants.map((variant) => {
      const offer: JsonLd = {
        '@type': 'Offer',
        sku: variant.sku,
        name: variant.name,
        price: toDecimalString(variant.price),
        priceCurrency: variant.price.currency,
        availability: SCHEMA + (variant.stock > 0 ? 'InStock' : 'OutOfStock'),
      };
      if (variant.gtin) offer.gtin = variant.gtin;
      if (returnPolicy) offer.hasMerchantReturnPolicy = returnPolicy;
      return offer;
    }),
  };
  if (product.gtin) out.gtin = product.gtin;
  if (brand) out.brand = { '@type': 'Brand', name: brand.name };
  if (product.certifications.length > 0) {
    out.hasCertification = product.certifications.map((c) => ({
      '@type': 'Certification',
      name: c.name,
      issuedBy: { '@type': 'Organization', name: c.issuedBy },
      certificationIdentification: c.certificationIdentification,
      validFrom: c.validFrom,
      ...(c.validUntil ? { expires: c.validUntil } : {}),
      ...(c.url ? { url: c.url } : {}),
    }));
  }
  return out;
}
