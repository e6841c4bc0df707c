/**
 * Wire protocol of the catalog: what the server sends to shoppers' devices and what a brand folder holds.
 * Shared by the app, the server and the CLI; every boundary parses with these schemas, never trusts a cast.
 * Field names follow schema.org / GS1 where such a term exists (gtin, countryOfOrigin, merchantReturnDays…).
 *
 * Written with `zod/mini`, zod 4's tree-shakable API (checks are functions passed to `.check()`, not methods),
 * because the app ships these schemas to the browser to parse the catalog it pulls: the classic API carries
 * every method of every schema (and JSON Schema output) into the bundle whether used or not. mini loads no
 * error messages of its own; processes that show zod's messages to people (server, CLI) load the English ones
 * through `brand-folder.ts`.
 */
import { z } from 'zod/mini';

/** A URL-safe id: lower-case letters, digits and dashes (`oak-lounge-chair`). */
export const Slug = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(80),
    z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and single dashes'),
  );

/** ISO 4217 currency code. */
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'));

/** Largest amount of money the system stores, in minor units (a 32-bit integer column: 21,474,836.47). */
export const MAX_MONEY_AMOUNT = 2_147_483_647;

/** An amount of money in minor units (cents), never a float. */
export const Money = z.object({
  amount: z.int().check(z.nonnegative(), z.maximum(MAX_MONEY_AMOUNT)),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

/** ISO 8601 date or date-time. */
const IsoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date'));

/** ISO 3166-1 alpha-2 country code. */
export const Country = z.string().check(z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as PT'));

/** GS1 GTIN-8, -12, -13 or -14, digits only. */
const Gtin = z.string().check(z.regex(/^\d{8}$|^\d{12,14}$/));

/** schema.org MerchantReturnPolicy, reduced to what a shopper needs before paying. */
export const ReturnPolicy = z.object({
  returnPolicyCategory: z.enum([
    'MerchantReturnFiniteReturnWindow',
    'MerchantReturnUnlimitedWindow',
    'MerchantReturnNotPermitted',
  ]),
  /** Days from delivery; required for a finite window. */
  merchantReturnDays: z.optional(z.int().check(z.positive())),
  returnFees: z.enum(['FreeReturn', 'ReturnFeesCustomerResponsibility', 'ReturnShippingFees']),
  /** What a return costs the shopper when `returnFees` is `ReturnShippingFees`. */
  returnShippingFees: z.optional(Money),
  refundType: z.enum(['FullRefund', 'ExchangeRefund', 'StoreCreditRefund']),
  returnMethod: z.enum(['ReturnByMail', 'ReturnInStore', 'ReturnAtKiosk']),
  /** Conditions in the brand's own words (unused, original packaging…). */
  conditions: z.string().check(z.maxLength(1000)),
});
export type ReturnPolicy = z.infer<typeof ReturnPolicy>;

export const Brand = z.object({
  id: Slug,
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  story: z.string().check(z.maxLength(4000)),
  contact: z.object({ email: z.email(), phone: z.optional(z.string().check(z.maxLength(40))) }),
  returnPolicy: ReturnPolicy,
});
export type Brand = z.infer<typeof Brand>;

export const Category = z.object({ id: Slug, name: z.string().check(z.minLength(1), z.maxLength(80)) });
export type Category = z.infer<typeof Category>;

/** schema.org Certification. `url` is the evidence the issuer publishes; shown as a link, never fetched. */
export const Certification = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  issuedBy: z.string().check(z.minLength(1), z.maxLength(200)),
  certificationIdentification: z.string().check(z.minLength(1), z.maxLength(120)),
  validFrom: IsoDate,
  validUntil: z.optional(IsoDate),
  url: z.optional(z.url({ protocol: /^https?$/ })),
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
  location: z.object({ name: z.string().check(z.minLength(1), z.maxLength(200)), country: Country }),
  actor: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.string().check(z.maxLength(500)),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type ProvenanceEvent = z.infer<typeof ProvenanceEvent>;

/** Outer size of the product in metres (x = width, y = height, z = depth), as it stands. */
export const Dimensions = z.object({
  width: z.number().check(z.positive(), z.maximum(20)),
  height: z.number().check(z.positive(), z.maximum(20)),
  depth: z.number().check(z.positive(), z.maximum(20)),
});
export type Dimensions = z.infer<typeof Dimensions>;

export const Variant = z.object({
  sku: z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'upper-case letters, digits and dashes')),
  gtin: z.optional(Gtin),
  /** Shopper-facing name of the variant ("Natural oak"). */
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  /** Option name to value, e.g. `{ colour: 'Natural oak', size: 'Large' }`. */
  options: z.record(
    z.string().check(z.minLength(1), z.maxLength(40)),
    z.string().check(z.minLength(1), z.maxLength(80)),
  ),
  price: Money,
  stock: z.int().check(z.nonnegative()),
  /** Name of the KHR_materials_variants variant in the product's model that shows this variant. */
  materialVariant: z.string().check(z.minLength(1), z.maxLength(80)),
});
export type Variant = z.infer<typeof Variant>;

/** How a product is placed in a room (and later in AR). */
export const Placement = z.enum(['floor', 'wall', 'tabletop']);
export type Placement = z.infer<typeof Placement>;

/** A content-addressed, immutable file served under `/assets/<sha256>.<ext>`. */
export const AssetRef = z.object({
  url: z.string().check(z.regex(/^\/assets\/[0-9a-f]{64}\.(glb|jpg|png|webp|usdz)$/)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.int().check(z.positive()),
});
export type AssetRef = z.infer<typeof AssetRef>;

export const ModelRef = z.extend(AssetRef, {
  triangles: z.int().check(z.nonnegative()),
});
export type ModelRef = z.infer<typeof ModelRef>;

/** Product fields a brand writes in its folder (`products.json`). */
export const ProductSource = z.object({
  id: Slug,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.string().check(z.maxLength(4000)),
  category: Slug,
  gtin: z.optional(Gtin),
  materials: z.array(z.string().check(z.minLength(1), z.maxLength(120))).check(z.minLength(1)),
  countryOfOrigin: Country,
  dimensions: Dimensions,
  placement: Placement,
  variants: z.array(Variant).check(z.minLength(1)),
  certifications: z.array(Certification),
  provenance: z.array(ProvenanceEvent),
});
export type ProductSource = z.infer<typeof ProductSource>;

/** A product as shoppers' devices receive it: the brand's data plus its published files. */
export const Product = z.extend(ProductSource, {
  brandId: Slug,
  model: ModelRef,
  poster: AssetRef,
  /** ISO date-time of the last change, set by the server. */
  updatedAt: IsoDate,
});
export type Product = z.infer<typeof Product>;

/** One floor-plan coordinate in metres. */
const Coordinate = z.number().check(z.minimum(-50), z.maximum(50));

/** A turn around the vertical axis in degrees. */
const Degrees = z.number().check(z.minimum(-360), z.maximum(360));

/** A position on the floor plan in metres: x to the right, z towards the viewer; the room is centred on 0,0. */
export const FloorPoint = z.tuple([Coordinate, Coordinate]);

export const Stand = z.enum(['floor', 'plinth', 'table', 'wall']);
export type Stand = z.infer<typeof Stand>;

export const Fixture = z.object({
  id: Slug,
  productId: Slug,
  /** Variant shown on the stand; the product's first variant when absent. */
  sku: z.optional(z.string()),
  position: FloorPoint,
  /** Turn around the vertical axis in degrees, 0 facing +z. */
  rotationY: Degrees,
  stand: Stand,
});
export type Fixture = z.infer<typeof Fixture>;

const Color = z.string().check(z.regex(/^#[0-9a-f]{6}$/i, 'a colour such as #f4efe6'));
const Vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const Light = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('directional'),
    position: Vec3,
    color: Color,
    intensity: z.number().check(z.minimum(0), z.maximum(20)),
  }),
  z.object({
    type: z.literal('point'),
    position: Vec3,
    color: Color,
    intensity: z.number().check(z.minimum(0), z.maximum(200)),
  }),
]);
export type Light = z.infer<typeof Light>;

export const Showroom = z.object({
  id: Slug,
  brandId: Slug,
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  description: z.string().check(z.maxLength(2000)),
  room: z.object({
    width: z.number().check(z.minimum(2), z.maximum(60)),
    depth: z.number().check(z.minimum(2), z.maximum(60)),
    height: z.number().check(z.minimum(2), z.maximum(12)),
    floorColor: Color,
    wallColor: Color,
  }),
  lighting: z.object({
    ambient: z.object({ color: Color, intensity: z.number().check(z.minimum(0), z.maximum(5)) }),
    /** Strength of the procedural room environment map used for reflections (0 disables it). */
    environmentIntensity: z.number().check(z.minimum(0), z.maximum(3)),
    lights: z.array(Light).check(z.maxLength(8)),
  }),
  /** Where the shopper starts, and which way they look (degrees, 0 facing -z). */
  spawn: z.object({ position: FloorPoint, rotationY: Degrees }),
  fixtures: z.array(Fixture).check(z.maxLength(200)),
});
export type Showroom = z.infer<typeof Showroom>;

/** `GET /api/v1/catalog`: the whole catalog. `cursor` is a valid `since` for the change feed below. */
export const CatalogSnapshot = z.object({
  cursor: z.string(),
  brands: z.array(Brand),
  categories: z.array(Category),
  products: z.array(Product),
  showrooms: z.array(Showroom),
});
export type CatalogSnapshot = z.infer<typeof CatalogSnapshot>;

/** A catalog cursor: the sequence number of a change in the server's change log, `"0"` before the first. */
export const Cursor = z.string().check(z.regex(/^(0|[1-9][0-9]{0,14})$/, 'a whole number such as 0 or 42'));

/** Kinds of record the catalog change feed carries. */
export const CatalogEntity = z.enum(['brand', 'category', 'product', 'showroom']);
export type CatalogEntity = z.infer<typeof CatalogEntity>;

/**
 * One record's change: a put carries the record as it is now; a delete (tombstone) carries only its id.
 */
export const CatalogChange = z.union([
  z.object({ entity: z.literal('brand'), id: Slug, op: z.literal('put'), record: Brand }),
  z.object({ entity: z.literal('category'), id: Slug, op: z.literal('put'), record: Category }),
  z.object({ entity: z.literal('product'), id: Slug, op: z.literal('put'), record: Product }),
  z.object({ entity: z.literal('showroom'), id: Slug, op: z.literal('put'), record: Showroom }),
  z.object({ entity: CatalogEntity, id: Slug, op: z.literal('delete') }),
]);
export type CatalogChange = z.infer<typeof CatalogChange>;

/** Page sizes of the change feed: 200 by default, at most 1000. */
export const CHANGES_LIMIT = { default: 200, max: 1000 } as const;

/** Query of `GET /api/v1/catalog/changes`: `since` (default 0) and `limit` (1…1000, default 200), as numbers. */
export const CatalogChangesQuery = z.object({
  since: z.optional(z.pipe(Cursor, z.transform(Number))),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^[0-9]{1,4}$/, 'a whole number from 1 to 1000')),
      z.pipe(
        z.transform(Number),
        z.int().check(z.minimum(1, 'at least 1'), z.maximum(CHANGES_LIMIT.max, 'at most 1000')),
      ),
    ),
  ),
});

/**
 * `GET /api/v1/catalog/changes?since=<cursor>&limit=<n>`: the changes after `since` in log order, each record
 * once with its latest op. `cursor` is where the next page starts; `hasMore` says whether to ask for it.
 */
export const CatalogChanges = z.object({
  cursor: Cursor,
  hasMore: z.boolean(),
  changes: z.array(CatalogChange),
});
export type CatalogChanges = z.infer<typeof CatalogChanges>;

/** Every API error body. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiError>;
