/**
 * Wire protocol of the catalog: what the server sends to shoppers' devices and what a brand folder holds.
 * Shared by the app, the server and the CLI; every boundary parses with these schemas, never trusts a cast.
 * Field names follow schema.org / GS1 where such a term exists (gtin, countryOfOrigin, merchantReturnDays…).
 */
import { z } from 'zod';

/** A URL-safe id: lower-case letters, digits and dashes (`oak-lounge-chair`). */
export const Slug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and single dashes');

/** ISO 4217 currency code. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

/** An amount of money in minor units (cents), never a float. */
export const Money = z.object({
  amount: z.number().int().nonnegative(),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

/** ISO 8601 date or date-time. */
const IsoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date');

/** ISO 3166-1 alpha-2 country code. */
export const Country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as PT');

/** schema.org MerchantReturnPolicy, reduced to what a shopper needs before paying. */
export const ReturnPolicy = z.object({
  returnPolicyCategory: z.enum([
    'MerchantReturnFiniteReturnWindow',
    'MerchantReturnUnlimitedWindow',
    'MerchantReturnNotPermitted',
  ]),
  /** Days from delivery; required for a finite window. */
  merchantReturnDays: z.number().int().positive().optional(),
  returnFees: z.enum(['FreeReturn', 'ReturnFeesCustomerResponsibility', 'ReturnShippingFees']),
  /** What a return costs the shopper when `returnFees` is `ReturnShippingFees`. */
  returnShippingFees: Money.optional(),
  refundType: z.enum(['FullRefund', 'ExchangeRefund', 'StoreCreditRefund']),
  returnMethod: z.enum(['ReturnByMail', 'ReturnInStore', 'ReturnAtKiosk']),
  /** Conditions in the brand's own words (unused, original packaging…). */
  conditions: z.string().max(1000),
});
export type ReturnPolicy = z.infer<typeof ReturnPolicy>;

export const Brand = z.object({
  id: Slug,
  name: z.string().min(1).max(120),
  story: z.string().max(4000),
  contact: z.object({ email: z.email(), phone: z.string().max(40).optional() }),
  returnPolicy: ReturnPolicy,
});
export type Brand = z.infer<typeof Brand>;

export const Category = z.object({ id: Slug, name: z.string().min(1).max(80) });
export type Category = z.infer<typeof Category>;

/** schema.org Certification. `url` is the evidence the issuer publishes; shown as a link, never fetched. */
export const Certification = z.object({
  name: z.string().min(1).max(200),
  issuedBy: z.string().min(1).max(200),
  certificationIdentification: z.string().min(1).max(120),
  validFrom: IsoDate,
  validUntil: IsoDate.optional(),
  url: z.url().optional(),
});
export type Certification = z.infer<typeof Certification>;

/** EPCIS business steps used in provenance trails. */
export const BizStep = z.enum([
  'harvesting',
  'commissioning',
  'assembling',
  'inspecting',
  'packing',
  'shipping',
  'receiving',
  'storing',
]);
export type BizStep = z.infer<typeof BizStep>;

/**
 * One supply-chain event. `hash` is the hex SHA-256 of the previous event's hash (64 zeros for the first)
 * followed by the canonical JSON of this event without its hash: editing or reordering any event breaks
 * every hash after it (see core/provenance.ts).
 */
export const ProvenanceEvent = z.object({
  eventTime: IsoDate,
  bizStep: BizStep,
  location: z.object({ name: z.string().min(1).max(200), country: Country }),
  actor: z.string().min(1).max(200),
  description: z.string().max(500),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ProvenanceEvent = z.infer<typeof ProvenanceEvent>;

/** Outer size of the product in metres (x = width, y = height, z = depth), as it stands. */
export const Dimensions = z.object({
  width: z.number().positive().max(20),
  height: z.number().positive().max(20),
  depth: z.number().positive().max(20),
});
export type Dimensions = z.infer<typeof Dimensions>;

export const Variant = z.object({
  sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'upper-case letters, digits and dashes'),
  gtin: z
    .string()
    .regex(/^\d{8}$|^\d{12,14}$/)
    .optional(),
  /** Shopper-facing name of the variant ("Natural oak"). */
  name: z.string().min(1).max(120),
  /** Option name to value, e.g. `{ colour: 'Natural oak', size: 'Large' }`. */
  options: z.record(z.string().min(1).max(40), z.string().min(1).max(80)),
  price: Money,
  stock: z.number().int().nonnegative(),
  /** Name of the KHR_materials_variants variant in the product's model that shows this variant. */
  materialVariant: z.string().min(1).max(80),
});
export type Variant = z.infer<typeof Variant>;

/** How a product is placed in a room (and later in AR). */
export const Placement = z.enum(['floor', 'wall', 'tabletop']);
export type Placement = z.infer<typeof Placement>;

/** A content-addressed, immutable file served under `/assets/<sha256>.<ext>`. */
export const AssetRef = z.object({
  url: z.string().regex(/^\/assets\/[0-9a-f]{64}\.(glb|jpg|png|webp|usdz)$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
});
export type AssetRef = z.infer<typeof AssetRef>;

export const ModelRef = AssetRef.extend({
  triangles: z.number().int().nonnegative(),
});
export type ModelRef = z.infer<typeof ModelRef>;

/** Product fields a brand writes in its folder (`products.json`). */
export const ProductSource = z.object({
  id: Slug,
  name: z.string().min(1).max(200),
  description: z.string().max(4000),
  category: Slug,
  gtin: z
    .string()
    .regex(/^\d{8}$|^\d{12,14}$/)
    .optional(),
  materials: z.array(z.string().min(1).max(120)).min(1),
  countryOfOrigin: Country,
  dimensions: Dimensions,
  placement: Placement,
  variants: z.array(Variant).min(1),
  certifications: z.array(Certification),
  provenance: z.array(ProvenanceEvent),
});
export type ProductSource = z.infer<typeof ProductSource>;

/** A product as shoppers' devices receive it: the brand's data plus its published files. */
export const Product = ProductSource.extend({
  brandId: Slug,
  model: ModelRef,
  poster: AssetRef,
  /** ISO date-time of the last change, set by the server. */
  updatedAt: IsoDate,
});
export type Product = z.infer<typeof Product>;

/** A position on the floor plan in metres: x to the right, z towards the viewer; the room is centred on 0,0. */
export const FloorPoint = z.tuple([z.number().min(-50).max(50), z.number().min(-50).max(50)]);

export const Stand = z.enum(['floor', 'plinth', 'table', 'wall']);
export type Stand = z.infer<typeof Stand>;

export const Fixture = z.object({
  id: Slug,
  productId: Slug,
  /** Variant shown on the stand; the product's first variant when absent. */
  sku: z.string().optional(),
  position: FloorPoint,
  /** Turn around the vertical axis in degrees, 0 facing +z. */
  rotationY: z.number().min(-360).max(360),
  stand: Stand,
});
export type Fixture = z.infer<typeof Fixture>;

const Color = z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour such as #f4efe6');
const Vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const Light = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('directional'),
    position: Vec3,
    color: Color,
    intensity: z.number().min(0).max(20),
  }),
  z.object({ type: z.literal('point'), position: Vec3, color: Color, intensity: z.number().min(0).max(200) }),
]);
export type Light = z.infer<typeof Light>;

export const Showroom = z.object({
  id: Slug,
  brandId: Slug,
  name: z.string().min(1).max(120),
  description: z.string().max(2000),
  room: z.object({
    width: z.number().min(2).max(60),
    depth: z.number().min(2).max(60),
    height: z.number().min(2).max(12),
    floorColor: Color,
    wallColor: Color,
  }),
  lighting: z.object({
    ambient: z.object({ color: Color, intensity: z.number().min(0).max(5) }),
    /** Strength of the procedural room environment map used for reflections (0 disables it). */
    environmentIntensity: z.number().min(0).max(3),
    lights: z.array(Light).max(8),
  }),
  /** Where the shopper starts, and which way they look (degrees, 0 facing -z). */
  spawn: z.object({ position: FloorPoint, rotationY: z.number().min(-360).max(360) }),
  fixtures: z.array(Fixture).max(200),
});
export type Showroom = z.infer<typeof Showroom>;

/** `GET /api/v1/catalog`: the whole catalog. Deltas since a cursor come with offline support. */
export const CatalogSnapshot = z.object({
  cursor: z.string(),
  brands: z.array(Brand),
  categories: z.array(Category),
  products: z.array(Product),
  showrooms: z.array(Showroom),
});
export type CatalogSnapshot = z.infer<typeof CatalogSnapshot>;

/** Every API error body. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiError>;
