/**
 * The Linde Atelier demo brand, written once here: brand, categories, products (with each variant's look and an
 * unsealed provenance trail) and showrooms. `write-catalog.ts` seals the trails and writes the brand folder's
 * JSON files from this module; `generate-models.ts` reads dimensions and looks from it. Linde Atelier is a
 * fictional maker: company names, certificate numbers and GTINs (GS1 restricted-circulation prefix 20) are
 * illustrative.
 */
import type {
  Brand,
  Category,
  ProductSource,
  ProvenanceEvent,
  Showroom,
  Variant,
} from '../../src/protocol/catalog';
import type { FinishName } from './palette';

/** Palette material for each material slot of a product's model (slots are named in model-shapes.ts). */
export type Look = Record<string, FinishName>;

export interface DemoVariant extends Variant {
  look: Look;
}

export type UnsealedEvent = Omit<ProvenanceEvent, 'hash'>;

export interface DemoProduct extends Omit<ProductSource, 'variants' | 'provenance'> {
  variants: DemoVariant[];
  trail: UnsealedEvent[];
}

export const BRAND: Brand = {
  id: 'linde',
  name: 'Linde Atelier',
  story:
    'Linde Atelier began in 2011 as a two-bench cabinet workshop in a former tram depot in Utrecht. ' +
    'We still build our oak furniture there, from FSC-certified French oak that we buy by the log and dry ' +
    'ourselves, and we work with a handful of partners we visit every year: an upholsterer in Poznań, a ' +
    'linen weaver in Panevėžys, a stoneware pottery in Caldas da Rainha, a lamp maker in Aarhus and a ' +
    'weaving cooperative in Manteigas. Every piece carries the record of where it was made and by whom, ' +
    'and we repair what we sell: spare parts and refinishing are available for as long as we exist.',
  contact: { email: 'hello@linde-atelier.example', phone: '+31 30 555 0142' },
  returnPolicy: {
    returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
    merchantReturnDays: 30,
    returnFees: 'FreeReturn',
    refundType: 'FullRefund',
    returnMethod: 'ReturnByMail',
    conditions:
      'Return any item within 30 days of delivery for a full refund, including the original delivery cost. ' +
      'Items must be unused and complete; the original packaging helps but is not required. We send a ' +
      'prepaid label, or collect large furniture from your door at no charge. Refunds are paid to the ' +
      'original payment method within 5 working days of the item reaching us.',
  },
};

export const CATEGORIES: Category[] = [
  { id: 'seating', name: 'Seating' },
  { id: 'tables', name: 'Tables' },
  { id: 'lighting', name: 'Lighting' },
  { id: 'storage', name: 'Storage' },
  { id: 'decor', name: 'Decor' },
];

// ---------------------------------------------------------------------------------------------------------
// Identifiers and certifications

/** A GTIN-13 in the GS1 restricted-circulation range 20, with its check digit. */
function gtin13(serial: number): string {
  const body = `208731${String(serial).padStart(6, '0')}`;
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

const FSC = {
  name: 'FSC Chain of Custody (FSC Mix 70 %)',
  issuedBy: 'Forest Stewardship Council, audited by Control Union Certifications',
  certificationIdentification: 'CU-COC-891542 / FSC-C162311',
  validFrom: '2023-06-01',
  validUntil: '2028-05-31',
};

const EU_ECOLABEL_FURNITURE = {
  name: 'EU Ecolabel: Furniture (Decision (EU) 2016/1332)',
  issuedBy: 'Stichting Milieukeur (SMK), Dutch competent body',
  certificationIdentification: 'NL/045/00217',
  validFrom: '2024-09-15',
  validUntil: '2028-09-14',
};

const OEKO_TEX_LINEN = {
  name: 'OEKO-TEX STANDARD 100, product class II',
  issuedBy: 'OEKO-TEX, tested by Hohenstein Institute',
  certificationIdentification: '24.HLT.58213',
  validFrom: '2026-03-01',
  validUntil: '2027-02-28',
};

const OEKO_TEX_WOOL = {
  name: 'OEKO-TEX STANDARD 100, product class IV',
  issuedBy: 'OEKO-TEX, tested by CITEVE',
  certificationIdentification: '21.PT.77140',
  validFrom: '2026-01-20',
  validUntil: '2027-01-19',
};

const ENEC = {
  name: 'ENEC safety mark (EN 60598-1 luminaires)',
  issuedBy: 'DEKRA Certification B.V.',
  certificationIdentification: 'ENEC 12-2281453',
  validFrom: '2025-11-03',
  validUntil: '2030-11-02',
};

const FOOD_CONTACT = {
  name: 'Food contact: lead and cadmium release (EN 1388-1, Directive 84/500/EEC)',
  issuedBy: 'SGS Portugal',
  certificationIdentification: 'SGS-PT-FC-2026-0412',
  validFrom: '2026-02-10',
  validUntil: '2028-02-09',
};

// ---------------------------------------------------------------------------------------------------------
// Provenance trails (EPCIS-style business steps)

const ev = (
  eventTime: string,
  bizStep: UnsealedEvent['bizStep'],
  place: string,
  country: string,
  actor: string,
  description: string,
): UnsealedEvent => ({ eventTime, bizStep, location: { name: place, country }, actor, description });

const WORKSHOP = 'Linde Atelier workshop, Utrecht';
const WAREHOUSE = 'Linde Atelier warehouse, Nieuwegein';

/** Oak from the Tronçais forest, sawn in Cérilly, made in the Utrecht workshop. Dates: felled, sawn, made, inspected, shipped. */
function oakTrail(
  item: string,
  lot: string,
  dates: [string, string, string, string, string],
): UnsealedEvent[] {
  const [felled, sawn, made, inspected, shipped] = dates;
  return [
    ev(
      `${felled}T07:30:00Z`,
      'harvesting',
      'Forêt domaniale de Tronçais, Allier',
      'FR',
      'Office national des forêts',
      `Sessile oak felled under the forest's certified management plan, log lot ${lot}.`,
    ),
    ev(
      `${sawn}T09:00:00Z`,
      'receiving',
      'Scierie du Bourbonnais, Cérilly',
      'FR',
      'Scierie du Bourbonnais',
      'Logs received, quarter-sawn, air-dried for a year and kiln-dried to 8 % moisture.',
    ),
    ev(
      `${made}T13:00:00Z`,
      'assembling',
      WORKSHOP,
      'NL',
      'Linde Atelier',
      `${item} cut, joined and finished with a plant-based hardwax oil.`,
    ),
    ev(
      `${inspected}T10:15:00Z`,
      'inspecting',
      WORKSHOP,
      'NL',
      'Linde Atelier quality desk',
      'Joints, finish and dimensions checked against the drawing.',
    ),
    ev(
      `${shipped}T15:45:00Z`,
      'shipping',
      WAREHOUSE,
      'NL',
      'Linde Atelier',
      'Packed in recycled cardboard and wool felt, handed to the carrier.',
    ),
  ];
}

/** Linen woven in Lithuania, upholstered in Poznań on an oak frame. */
function upholsteryTrail(
  item: string,
  batch: string,
  dates: [string, string, string, string, string],
): UnsealedEvent[] {
  const [woven, framed, upholstered, inspected, received] = dates;
  return [
    ev(
      `${woven}T08:00:00Z`,
      'commissioning',
      'Baltic Flax Weavers, Panevėžys',
      'LT',
      'Baltic Flax Weavers',
      `Upholstery fabric woven, stone-washed and registered as roll batch ${batch}.`,
    ),
    ev(
      `${framed}T11:00:00Z`,
      'assembling',
      WORKSHOP,
      'NL',
      'Linde Atelier',
      `Solid oak frame and legs of the ${item} made and oiled.`,
    ),
    ev(
      `${upholstered}T09:30:00Z`,
      'assembling',
      'Tapicernia Warta, Poznań',
      'PL',
      'Tapicernia Warta',
      `${item} sprung, padded and upholstered by hand.`,
    ),
    ev(
      `${inspected}T14:00:00Z`,
      'inspecting',
      'Tapicernia Warta, Poznań',
      'PL',
      'Linde Atelier partner audit',
      'Seams, foam density and fire-safety label (EN 1021-1/-2) checked.',
    ),
    ev(
      `${received}T10:00:00Z`,
      'receiving',
      WAREHOUSE,
      'NL',
      'Linde Atelier',
      'Received in Nieuwegein and stored ready for delivery.',
    ),
  ];
}

/** Stoneware thrown and glazed in Caldas da Rainha. */
function ceramicTrail(
  item: string,
  firing: string,
  dates: [string, string, string, string],
): UnsealedEvent[] {
  const [thrown, fired, packed, received] = dates;
  return [
    ev(
      `${thrown}T08:30:00Z`,
      'assembling',
      'Olaria da Rainha, Caldas da Rainha',
      'PT',
      'Olaria da Rainha',
      `${item} thrown on the wheel from local stoneware clay and trimmed by hand.`,
    ),
    ev(
      `${fired}T17:00:00Z`,
      'inspecting',
      'Olaria da Rainha, Caldas da Rainha',
      'PT',
      'Olaria da Rainha',
      `Glaze-fired at 1,240 °C in kiln load ${firing}; checked for crazing and pinholes.`,
    ),
    ev(
      `${packed}T11:00:00Z`,
      'shipping',
      'Olaria da Rainha, Caldas da Rainha',
      'PT',
      'Olaria da Rainha',
      'Packed in moulded pulp and shipped by road freight.',
    ),
    ev(
      `${received}T09:00:00Z`,
      'receiving',
      WAREHOUSE,
      'NL',
      'Linde Atelier',
      'Received in Nieuwegein; every piece unpacked and checked.',
    ),
  ];
}

const EV_LAMP_FLOOR: UnsealedEvent[] = [
  ev(
    '2026-02-16T08:00:00Z',
    'commissioning',
    'Metalværk Aarhus',
    'DK',
    'Metalværk Aarhus',
    'Steel stems and bases turned and powder-coated, brass fittings turned; parts batch MA-26-031.',
  ),
  ev(
    '2026-02-27T12:00:00Z',
    'assembling',
    'Metalværk Aarhus',
    'DK',
    'Metalværk Aarhus',
    'Wired with a braided cable and fitted with a linen shade from Panevėžys.',
  ),
  ev(
    '2026-03-02T09:30:00Z',
    'inspecting',
    'Metalværk Aarhus',
    'DK',
    'Metalværk Aarhus',
    'Electrical safety test to EN 60598-1 passed: earth continuity, insulation, 60 min burn-in.',
  ),
  ev(
    '2026-03-04T15:00:00Z',
    'shipping',
    'Metalværk Aarhus',
    'DK',
    'Metalværk Aarhus',
    'Shipped by road freight.',
  ),
  ev('2026-03-07T10:30:00Z', 'receiving', WAREHOUSE, 'NL', 'Linde Atelier', 'Received and stored.'),
];

const EV_LAMP_TABLE: UnsealedEvent[] = [
  ...ceramicTrail('Lamp base', 'K-2611', ['2026-03-09', '2026-03-20', '2026-03-24', '2026-03-30']).slice(
    0,
    2,
  ),
  ev(
    '2026-04-08T13:00:00Z',
    'assembling',
    WORKSHOP,
    'NL',
    'Linde Atelier',
    'Base wired with a brass lamp holder and fitted with a linen shade.',
  ),
  ev(
    '2026-04-09T10:00:00Z',
    'inspecting',
    WORKSHOP,
    'NL',
    'Linde Atelier quality desk',
    'Electrical safety test to EN 60598-1 passed.',
  ),
  ev(
    '2026-04-10T16:00:00Z',
    'storing',
    WAREHOUSE,
    'NL',
    'Linde Atelier',
    'Boxed and stored ready for delivery.',
  ),
];

const EV_RUG: UnsealedEvent[] = [
  ev(
    '2026-05-21T07:00:00Z',
    'harvesting',
    'Serra da Estrela, Manteigas',
    'PT',
    'Cooperativa de Pastores da Estrela',
    'Bordaleira sheep shorn; fleece graded and washed without chemical scouring.',
  ),
  ev(
    '2026-06-18T09:00:00Z',
    'commissioning',
    'Fiação da Estrela, Manteigas',
    'PT',
    'Fiação da Estrela',
    'Wool carded and spun; yarn lot FE-0618 dyed with low-impact dyes (ecru and grey undyed).',
  ),
  ev(
    '2026-07-06T14:00:00Z',
    'assembling',
    'Tecelagem Vav, Manteigas',
    'PT',
    'Tecelagem Vav',
    'Rug woven on a treadle loom and finished by hand.',
  ),
  ev(
    '2026-07-10T10:00:00Z',
    'inspecting',
    'Tecelagem Vav, Manteigas',
    'PT',
    'Tecelagem Vav',
    'Size, flatness and colour fastness checked.',
  ),
  ev(
    '2026-07-17T11:00:00Z',
    'shipping',
    'Tecelagem Vav, Manteigas',
    'PT',
    'Tecelagem Vav',
    'Rolled, wrapped in cotton and shipped.',
  ),
  ev('2026-07-22T09:00:00Z', 'receiving', WAREHOUSE, 'NL', 'Linde Atelier', 'Received and stored rolled.'),
];

const EV_MIRROR: UnsealedEvent[] = [
  ev(
    '2026-04-14T08:00:00Z',
    'commissioning',
    'Miroiterie de Moustier, Jemeppe-sur-Sambre',
    'BE',
    'Miroiterie de Moustier',
    'Copper-free silvered float glass, 4 mm, cut round and edge-polished; batch MM-4471.',
  ),
  ev(
    '2026-05-05T12:00:00Z',
    'assembling',
    WORKSHOP,
    'NL',
    'Linde Atelier',
    'Frame turned and bent, glass bonded to a birch plywood back with a French cleat.',
  ),
  ev(
    '2026-05-06T10:00:00Z',
    'inspecting',
    WORKSHOP,
    'NL',
    'Linde Atelier quality desk',
    'Checked for distortion and silvering flaws.',
  ),
  ev(
    '2026-05-08T15:00:00Z',
    'storing',
    WAREHOUSE,
    'NL',
    'Linde Atelier',
    'Boxed in a corner-protected crate.',
  ),
];

// ---------------------------------------------------------------------------------------------------------
// Products

let serial = 100;
const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** A variant with its GTIN, price in euro cents, stock and look; `materialVariant` is derived from the name. */
function variant(
  sku: string,
  name: string,
  options: Record<string, string>,
  cents: number,
  stock: number,
  look: Look,
): DemoVariant {
  serial += 1;
  return {
    sku,
    gtin: gtin13(serial),
    name,
    options,
    price: eur(cents),
    stock,
    materialVariant: name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-'),
    look,
  };
}

export const PRODUCTS: DemoProduct[] = [
  {
    id: 'aster-dining-chair',
    name: 'Aster Dining Chair',
    description:
      'A light, upright dining chair in solid oak with a shaped back rail and a seat that sits at a relaxed 46 cm. ' +
      'Mortise-and-tenon joints, no metal fixings; it can be re-oiled and repaired for decades.',
    category: 'seating',
    materials: ['Solid European oak', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.46, height: 0.8, depth: 0.52 },
    placement: 'floor',
    variants: [
      variant('LIN-ASTCHR-NAT', 'Natural oak', { finish: 'Natural oak' }, 34900, 24, { wood: 'natural-oak' }),
      variant('LIN-ASTCHR-SMK', 'Smoked oak', { finish: 'Smoked oak' }, 36900, 2, { wood: 'smoked-oak' }),
      variant('LIN-ASTCHR-BLK', 'Black oak', { finish: 'Black oak' }, 36900, 0, { wood: 'black-oak' }),
    ],
    certifications: [FSC, EU_ECOLABEL_FURNITURE],
    trail: oakTrail('Chair', 'TR-25-118', [
      '2025-01-20',
      '2025-02-11',
      '2026-04-14',
      '2026-04-17',
      '2026-04-21',
    ]),
  },
  {
    id: 'fjord-lounge-chair',
    name: 'Fjord Lounge Chair',
    description:
      'A deep, low lounge chair with a stone-washed linen cover over a sprung seat, on short tapered oak legs. ' +
      'The covers zip off for washing or replacement.',
    category: 'seating',
    materials: ['Solid oak', 'Stone-washed linen', 'Natural latex and wool padding', 'Steel springs'],
    countryOfOrigin: 'PL',
    dimensions: { width: 0.74, height: 0.76, depth: 0.8 },
    placement: 'floor',
    variants: [
      variant('LIN-FJDLNG-SND', 'Sand linen', { fabric: 'Sand linen' }, 119000, 6, {
        wood: 'natural-oak',
        fabric: 'sand-linen',
      }),
      variant('LIN-FJDLNG-MOS', 'Moss linen', { fabric: 'Moss linen' }, 119000, 2, {
        wood: 'natural-oak',
        fabric: 'moss-linen',
      }),
      variant('LIN-FJDLNG-RST', 'Rust linen', { fabric: 'Rust linen' }, 124000, 0, {
        wood: 'smoked-oak',
        fabric: 'rust-linen',
      }),
    ],
    certifications: [OEKO_TEX_LINEN, FSC],
    trail: upholsteryTrail('lounge chair', 'BFW-2602-17', [
      '2026-02-09',
      '2026-02-23',
      '2026-03-16',
      '2026-03-18',
      '2026-03-27',
    ]),
  },
  {
    id: 'bruk-stool',
    name: 'Bruk Stool',
    description:
      'A round four-legged stool in solid wood, at table height. Light enough to carry with one hand, ' +
      'sturdy enough to stand on to reach the top shelf.',
    category: 'seating',
    materials: ['Solid oak or walnut', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.36, height: 0.46, depth: 0.36 },
    placement: 'floor',
    variants: [
      variant('LIN-BRUSTL-NAT', 'Natural oak', { wood: 'Natural oak' }, 18900, 40, { wood: 'natural-oak' }),
      variant('LIN-BRUSTL-WAL', 'Walnut', { wood: 'Walnut' }, 22900, 2, { wood: 'walnut' }),
    ],
    certifications: [FSC],
    trail: oakTrail('Stool', 'TR-25-131', [
      '2025-02-03',
      '2025-02-24',
      '2026-05-04',
      '2026-05-06',
      '2026-05-11',
    ]),
  },
  {
    id: 'sova-sofa',
    name: 'Sova Three-Seat Sofa',
    description:
      'A generous three-seat sofa with feather-wrapped seat cushions, a firm back and low arms. ' +
      'Built on a solid oak frame with steel springs; every cushion cover is removable.',
    category: 'seating',
    materials: [
      'Solid oak frame',
      'Bouclé, wool or linen upholstery',
      'Steel springs',
      'Feather and foam cushions',
    ],
    countryOfOrigin: 'PL',
    dimensions: { width: 2.1, height: 0.8, depth: 0.92 },
    placement: 'floor',
    variants: [
      variant('LIN-SOVSOF-OAT', 'Oat bouclé', { fabric: 'Oat bouclé' }, 289000, 4, {
        wood: 'natural-oak',
        fabric: 'oat-boucle',
      }),
      variant('LIN-SOVSOF-CHR', 'Charcoal wool', { fabric: 'Charcoal wool' }, 289000, 0, {
        wood: 'black-oak',
        fabric: 'charcoal-wool',
      }),
      variant('LIN-SOVSOF-MOS', 'Moss linen', { fabric: 'Moss linen' }, 299000, 2, {
        wood: 'natural-oak',
        fabric: 'moss-linen',
      }),
    ],
    certifications: [OEKO_TEX_LINEN, EU_ECOLABEL_FURNITURE],
    trail: upholsteryTrail('sofa', 'BFW-2601-09', [
      '2026-01-19',
      '2026-02-02',
      '2026-02-25',
      '2026-02-27',
      '2026-03-09',
    ]),
  },
  {
    id: 'tafel-dining-table',
    name: 'Tafel Dining Table',
    description:
      'A six-seat dining table with a 3 cm solid oak top on square legs and a deep apron. ' +
      'Seats six comfortably, eight at a push.',
    category: 'tables',
    materials: ['Solid European oak', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 1.8, height: 0.75, depth: 0.9 },
    placement: 'floor',
    variants: [
      variant('LIN-TAFTBL-NAT', 'Natural oak', { finish: 'Natural oak' }, 159000, 5, { wood: 'natural-oak' }),
      variant('LIN-TAFTBL-SMK', 'Smoked oak', { finish: 'Smoked oak' }, 169000, 2, { wood: 'smoked-oak' }),
      variant('LIN-TAFTBL-WWH', 'Whitewashed oak', { finish: 'Whitewashed oak' }, 164000, 0, {
        wood: 'whitewashed-oak',
      }),
    ],
    certifications: [FSC, EU_ECOLABEL_FURNITURE],
    trail: oakTrail('Table', 'TR-24-402', [
      '2024-11-18',
      '2024-12-09',
      '2026-03-02',
      '2026-03-05',
      '2026-03-12',
    ]),
  },
  {
    id: 'rond-coffee-table',
    name: 'Rond Coffee Table',
    description:
      'A round coffee table on three legs with a lower shelf for books. ' +
      'Three legs stand steady on any floor, even an old one.',
    category: 'tables',
    materials: ['Solid oak or ash', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.9, height: 0.4, depth: 0.9 },
    placement: 'floor',
    variants: [
      variant('LIN-RNDCOF-NAT', 'Natural oak', { finish: 'Natural oak' }, 49000, 8, { wood: 'natural-oak' }),
      variant('LIN-RNDCOF-BLA', 'Black ash', { finish: 'Black ash' }, 49000, 0, { wood: 'black-ash' }),
    ],
    certifications: [FSC],
    trail: oakTrail('Coffee table', 'TR-25-066', [
      '2025-01-06',
      '2025-01-27',
      '2026-06-08',
      '2026-06-10',
      '2026-06-15',
    ]),
  },
  {
    id: 'ek-side-table',
    name: 'Ek Side Table',
    description: 'A small square side table with a shelf below, sized for a lamp, a cup and a book.',
    category: 'tables',
    materials: ['Solid European oak', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.45, height: 0.55, depth: 0.45 },
    placement: 'floor',
    variants: [
      variant('LIN-EKSIDE-NAT', 'Natural oak', { finish: 'Natural oak' }, 22900, 15, { wood: 'natural-oak' }),
      variant('LIN-EKSIDE-SMK', 'Smoked oak', { finish: 'Smoked oak' }, 24900, 7, { wood: 'smoked-oak' }),
      variant('LIN-EKSIDE-WWH', 'Whitewashed oak', { finish: 'Whitewashed oak' }, 24900, 2, {
        wood: 'whitewashed-oak',
      }),
    ],
    certifications: [FSC],
    trail: oakTrail('Side table', 'TR-25-131', [
      '2025-02-03',
      '2025-02-24',
      '2026-05-18',
      '2026-05-19',
      '2026-05-26',
    ]),
  },
  {
    id: 'halo-floor-lamp',
    name: 'Halo Floor Lamp',
    description:
      'A slender floor lamp with a weighted steel base and a tapered linen shade that spreads a warm, ' +
      'even light for reading. E27 fitting, foot switch, 2.5 m braided cable.',
    category: 'lighting',
    materials: ['Powder-coated steel', 'Solid brass', 'Linen shade'],
    countryOfOrigin: 'DK',
    dimensions: { width: 0.45, height: 1.6, depth: 0.45 },
    placement: 'floor',
    variants: [
      variant('LIN-HALFLR-BRS', 'Brass and linen', { finish: 'Brass' }, 42900, 9, {
        metal: 'brass',
        accent: 'brass',
        shade: 'linen-shade',
        bulb: 'bulb-glow',
      }),
      variant('LIN-HALFLR-BLK', 'Black steel and linen', { finish: 'Black steel' }, 38900, 2, {
        metal: 'black-steel',
        accent: 'brass',
        shade: 'linen-shade',
        bulb: 'bulb-glow',
      }),
    ],
    certifications: [ENEC],
    trail: EV_LAMP_FLOOR,
  },
  {
    id: 'lune-table-lamp',
    name: 'Lune Table Lamp',
    description:
      'A rounded stoneware lamp base, thrown by hand, under a tapered linen shade. ' +
      'Each glaze pools a little differently, so no two are alike.',
    category: 'lighting',
    materials: ['Glazed stoneware', 'Linen shade', 'Brass lamp holder'],
    countryOfOrigin: 'PT',
    dimensions: { width: 0.28, height: 0.46, depth: 0.28 },
    placement: 'tabletop',
    variants: [
      variant('LIN-LUNTBL-CHK', 'Chalk', { glaze: 'Chalk' }, 18900, 12, {
        ceramic: 'chalk-glaze',
        metal: 'brass',
        shade: 'linen-shade',
      }),
      variant('LIN-LUNTBL-CEL', 'Celadon', { glaze: 'Celadon' }, 18900, 0, {
        ceramic: 'celadon-glaze',
        metal: 'brass',
        shade: 'linen-shade',
      }),
      variant('LIN-LUNTBL-TER', 'Terracotta', { glaze: 'Terracotta' }, 17900, 3, {
        ceramic: 'terracotta-clay',
        metal: 'brass',
        shade: 'linen-shade',
      }),
    ],
    certifications: [ENEC],
    trail: EV_LAMP_TABLE,
  },
  {
    id: 'lag-bookcase',
    name: 'Lag Bookcase',
    description:
      'A tall open bookcase with five shelves, a solid back and a recessed plinth. ' +
      'Shelves are 32 cm deep: enough for art books, and they will not sag under a full load.',
    category: 'storage',
    materials: ['Solid European oak', 'Oak-veneered birch plywood back', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.9, height: 1.9, depth: 0.36 },
    placement: 'floor',
    variants: [
      variant('LIN-LAGBKC-NAT', 'Natural oak', { finish: 'Natural oak' }, 89000, 3, { wood: 'natural-oak' }),
      variant('LIN-LAGBKC-SMK', 'Smoked oak', { finish: 'Smoked oak' }, 94000, 2, { wood: 'smoked-oak' }),
    ],
    certifications: [FSC, EU_ECOLABEL_FURNITURE],
    trail: oakTrail('Bookcase', 'TR-24-377', [
      '2024-11-04',
      '2024-11-25',
      '2026-02-16',
      '2026-02-19',
      '2026-02-24',
    ]),
  },
  {
    id: 'bas-sideboard',
    name: 'Bas Sideboard',
    description:
      'A long, low sideboard with four doors, two adjustable shelves inside and slim brass pulls. ' +
      'Cable holes in the back keep a record player or router out of sight.',
    category: 'storage',
    materials: ['Solid oak or walnut', 'Solid brass pulls', 'Plant-based hardwax oil'],
    countryOfOrigin: 'NL',
    dimensions: { width: 1.6, height: 0.75, depth: 0.45 },
    placement: 'floor',
    variants: [
      variant('LIN-BASSBD-NAT', 'Natural oak', { finish: 'Natural oak' }, 139000, 4, {
        wood: 'natural-oak',
        metal: 'brass',
      }),
      variant('LIN-BASSBD-WAL', 'Walnut', { finish: 'Walnut' }, 159000, 1, {
        wood: 'walnut',
        metal: 'brass',
      }),
      variant('LIN-BASSBD-BLK', 'Black oak', { finish: 'Black oak' }, 139000, 0, {
        wood: 'black-oak',
        metal: 'black-steel',
      }),
    ],
    certifications: [FSC, EU_ECOLABEL_FURNITURE],
    trail: oakTrail('Sideboard', 'TR-24-402', [
      '2024-11-18',
      '2024-12-09',
      '2026-06-22',
      '2026-06-26',
      '2026-07-01',
    ]),
  },
  {
    id: 'hylla-wall-shelf',
    name: 'Hylla Wall Shelf',
    description:
      'A small wall shelf with two boards, hung on a hidden steel rail: for spices in a kitchen, ' +
      'or a few favourite books by the bed.',
    category: 'storage',
    materials: ['Solid European oak', 'Steel hanging rail'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.8, height: 0.3, depth: 0.22 },
    placement: 'wall',
    variants: [
      variant('LIN-HYLSHF-NAT', 'Natural oak', { finish: 'Natural oak' }, 14900, 30, { wood: 'natural-oak' }),
      variant('LIN-HYLSHF-SMK', 'Smoked oak', { finish: 'Smoked oak' }, 15900, 2, { wood: 'smoked-oak' }),
      variant('LIN-HYLSHF-BLK', 'Black oak', { finish: 'Black oak' }, 15900, 0, { wood: 'black-oak' }),
    ],
    certifications: [FSC],
    trail: oakTrail('Wall shelf', 'TR-25-066', [
      '2025-01-06',
      '2025-01-27',
      '2026-07-06',
      '2026-07-07',
      '2026-07-13',
    ]),
  },
  {
    id: 'rund-wall-mirror',
    name: 'Rund Wall Mirror',
    description:
      'A round wall mirror, 70 cm across, in a slim rounded frame. Silvered without copper or lead, ' +
      'and hung on a French cleat so it sits flat against the wall.',
    category: 'decor',
    materials: ['Silvered float glass', 'Solid oak or brass frame', 'Birch plywood back'],
    countryOfOrigin: 'NL',
    dimensions: { width: 0.7, height: 0.7, depth: 0.04 },
    placement: 'wall',
    variants: [
      variant('LIN-RUNMIR-OAK', 'Oak frame', { frame: 'Oak' }, 27900, 6, {
        frame: 'natural-oak',
        glass: 'mirror-glass',
      }),
      variant('LIN-RUNMIR-BRS', 'Brass frame', { frame: 'Brass' }, 32900, 2, {
        frame: 'brass',
        glass: 'mirror-glass',
      }),
      variant('LIN-RUNMIR-BLK', 'Black frame', { frame: 'Black steel' }, 27900, 0, {
        frame: 'black-steel',
        glass: 'mirror-glass',
      }),
    ],
    certifications: [FSC],
    trail: EV_MIRROR,
  },
  {
    id: 'lera-vase',
    name: 'Lera Vase',
    description:
      'A tall bellied stoneware vase with a narrow neck, watertight, for a single branch or a loose bunch.',
    category: 'decor',
    materials: ['Glazed stoneware'],
    countryOfOrigin: 'PT',
    dimensions: { width: 0.18, height: 0.32, depth: 0.18 },
    placement: 'tabletop',
    variants: [
      variant('LIN-LERVAS-CHK', 'Chalk', { glaze: 'Chalk' }, 6900, 20, { ceramic: 'chalk-glaze' }),
      variant('LIN-LERVAS-INK', 'Ink', { glaze: 'Ink' }, 6900, 2, { ceramic: 'ink-glaze' }),
      variant('LIN-LERVAS-CEL', 'Celadon', { glaze: 'Celadon' }, 6900, 0, { ceramic: 'celadon-glaze' }),
    ],
    certifications: [FOOD_CONTACT],
    trail: ceramicTrail('Vase', 'K-2608', ['2026-02-23', '2026-03-06', '2026-03-10', '2026-03-16']),
  },
  {
    id: 'skal-bowl',
    name: 'Skal Serving Bowl',
    description: 'A wide, shallow serving bowl on a turned foot; food safe, oven and dishwasher safe.',
    category: 'decor',
    materials: ['Glazed stoneware'],
    countryOfOrigin: 'PT',
    dimensions: { width: 0.3, height: 0.1, depth: 0.3 },
    placement: 'tabletop',
    variants: [
      variant('LIN-SKABWL-CHK', 'Chalk', { glaze: 'Chalk' }, 5400, 18, { ceramic: 'chalk-glaze' }),
      variant('LIN-SKABWL-TER', 'Terracotta', { glaze: 'Terracotta' }, 4900, 2, {
        ceramic: 'terracotta-clay',
      }),
    ],
    certifications: [FOOD_CONTACT],
    trail: ceramicTrail('Bowl', 'K-2614', ['2026-04-06', '2026-04-17', '2026-04-21', '2026-04-27']),
  },
  {
    id: 'vav-wool-rug',
    name: 'Vav Wool Rug',
    description:
      'A flat-woven rug in undyed Portuguese wool, 200 × 140 cm, reversible. ' +
      'Wool resists dirt naturally; shake it out and air it now and then.',
    category: 'decor',
    materials: ['Bordaleira wool', 'Cotton warp'],
    countryOfOrigin: 'PT',
    dimensions: { width: 2, height: 0.012, depth: 1.4 },
    placement: 'floor',
    variants: [
      variant('LIN-VAVRUG-GRY', 'Undyed grey', { colour: 'Undyed grey' }, 59000, 5, {
        wool: 'undyed-grey-wool',
        border: 'ecru-wool',
      }),
      variant('LIN-VAVRUG-ECR', 'Ecru', { colour: 'Ecru' }, 59000, 2, {
        wool: 'ecru-wool',
        border: 'undyed-grey-wool',
      }),
      variant('LIN-VAVRUG-FOR', 'Forest green', { colour: 'Forest green' }, 64000, 0, {
        wool: 'forest-wool',
        border: 'ecru-wool',
      }),
    ],
    certifications: [OEKO_TEX_WOOL],
    trail: EV_RUG,
  },
];

// ---------------------------------------------------------------------------------------------------------
// Showrooms: room centred on 0,0; rotationY 0 faces +z; spawn rotationY 0 looks towards -z.

const sku = (productId: string, index: number): string => {
  const product = PRODUCTS.find((p) => p.id === productId);
  const found = product?.variants[index];
  if (!found) throw new Error(`no variant ${index} of ${productId}`);
  return found.sku;
};

export const SHOWROOMS: Showroom[] = [
  {
    id: 'living-room',
    brandId: 'linde',
    name: 'Living room',
    description:
      'A bright living room: the Lag bookcase greets you, the Sova sofa and Fjord chair gather around the Rond ' +
      'coffee table on the left, and the Bas sideboard stands under the Rund mirror on the back wall.',
    room: { width: 10, depth: 8, height: 3, floorColor: '#cdb89b', wallColor: '#f1ece4' },
    lighting: {
      ambient: { color: '#fff4e6', intensity: 0.5 },
      environmentIntensity: 0.7,
      lights: [
        { type: 'directional', position: [4, 6, 3], color: '#fff1dc', intensity: 2.2 },
        { type: 'point', position: [-3, 2.6, -1.5], color: '#ffd9a8', intensity: 18 },
        { type: 'point', position: [3, 2.6, 0.5], color: '#ffe7c7', intensity: 12 },
      ],
    },
    spawn: { position: [0, 3], rotationY: 0 },
    fixtures: [
      { id: 'bookcase', productId: 'lag-bookcase', position: [0, 0], rotationY: 0, stand: 'floor' },
      { id: 'sofa', productId: 'sova-sofa', position: [-3, -3.2], rotationY: 0, stand: 'floor' },
      {
        id: 'coffee-table',
        productId: 'rond-coffee-table',
        position: [-3, -1.8],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'lounge-chair',
        productId: 'fjord-lounge-chair',
        sku: sku('fjord-lounge-chair', 1),
        position: [-4.3, -1.6],
        rotationY: 90,
        stand: 'floor',
      },
      { id: 'rug', productId: 'vav-wool-rug', position: [-3, 1.6], rotationY: 0, stand: 'floor' },
      {
        id: 'floor-lamp',
        productId: 'halo-floor-lamp',
        position: [-1.5, -3.4],
        rotationY: 0,
        stand: 'floor',
      },
      { id: 'sideboard', productId: 'bas-sideboard', position: [2.6, -3.6], rotationY: 0, stand: 'floor' },
      { id: 'mirror', productId: 'rund-wall-mirror', position: [2.6, -3.98], rotationY: 0, stand: 'wall' },
      {
        id: 'wall-shelf',
        productId: 'hylla-wall-shelf',
        position: [4.89, -1.2],
        rotationY: -90,
        stand: 'wall',
      },
      { id: 'table-lamp', productId: 'lune-table-lamp', position: [2.2, 1.2], rotationY: 0, stand: 'table' },
      {
        id: 'vase',
        productId: 'lera-vase',
        sku: sku('lera-vase', 1),
        position: [3.4, 1.2],
        rotationY: 0,
        stand: 'table',
      },
      { id: 'bowl', productId: 'skal-bowl', position: [3.4, 2.6], rotationY: 0, stand: 'table' },
    ],
  },
  {
    id: 'studio',
    brandId: 'linde',
    name: 'Studio',
    description:
      'A compact studio around the Tafel dining table and Aster chairs, with a reading corner, ' +
      'a stool and the smaller pieces on plinths.',
    room: { width: 8, depth: 6, height: 2.8, floorColor: '#b9a58a', wallColor: '#e9e4dc' },
    lighting: {
      ambient: { color: '#f6f1ea', intensity: 0.55 },
      environmentIntensity: 0.6,
      lights: [
        { type: 'directional', position: [-3, 5, 4], color: '#fff6ea', intensity: 2 },
        { type: 'point', position: [0, 2.4, -0.5], color: '#ffdcb0', intensity: 14 },
      ],
    },
    spawn: { position: [0, 2.2], rotationY: 0 },
    fixtures: [
      {
        id: 'dining-table',
        productId: 'tafel-dining-table',
        position: [0, -0.8],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'chair-back-1',
        productId: 'aster-dining-chair',
        position: [-0.45, -1.6],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'chair-back-2',
        productId: 'aster-dining-chair',
        sku: sku('aster-dining-chair', 1),
        position: [0.45, -1.6],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'chair-end',
        productId: 'aster-dining-chair',
        sku: sku('aster-dining-chair', 1),
        position: [-1.3, -0.8],
        rotationY: 90,
        stand: 'floor',
      },
      {
        id: 'bookcase',
        productId: 'lag-bookcase',
        sku: sku('lag-bookcase', 1),
        position: [2.6, -2.78],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'lounge-chair',
        productId: 'fjord-lounge-chair',
        position: [-3, -2],
        rotationY: 45,
        stand: 'floor',
      },
      {
        id: 'side-table',
        productId: 'ek-side-table',
        position: [-3.55, -0.95],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'floor-lamp',
        productId: 'halo-floor-lamp',
        sku: sku('halo-floor-lamp', 1),
        position: [-2.1, -2.6],
        rotationY: 0,
        stand: 'floor',
      },
      {
        id: 'stool',
        productId: 'bruk-stool',
        sku: sku('bruk-stool', 1),
        position: [2.2, 0.6],
        rotationY: 0,
        stand: 'plinth',
      },
      {
        id: 'wall-shelf',
        productId: 'hylla-wall-shelf',
        sku: sku('hylla-wall-shelf', 1),
        position: [-3.89, 1.2],
        rotationY: 90,
        stand: 'wall',
      },
      {
        id: 'mirror',
        productId: 'rund-wall-mirror',
        sku: sku('rund-wall-mirror', 1),
        position: [0, 2.98],
        rotationY: 180,
        stand: 'wall',
      },
      {
        id: 'table-lamp',
        productId: 'lune-table-lamp',
        sku: sku('lune-table-lamp', 2),
        position: [3.2, 0.6],
        rotationY: 0,
        stand: 'table',
      },
      {
        id: 'bowl',
        productId: 'skal-bowl',
        sku: sku('skal-bowl', 1),
        position: [-2.2, 1.8],
        rotationY: 0,
        stand: 'table',
      },
    ],
  },
];
