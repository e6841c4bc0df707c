// The VR panels' geometry and words: buttons inside the panel and apart, letters big enough to read at arm's
// length, the panel floating at arm's length beside the product and facing the shopper, and world positions
// of buttons that land back on the same button.
import { describe, expect, test } from 'vitest';
import {
  CAP_HEIGHT_RATIO,
  PANEL_FAR,
  PANEL_NEAR,
  buttonAt,
  buttonWorldPositions,
  cartPanelLayout,
  panelPose,
  productPanelLayout,
  type PanelButton,
  type PanelPose,
} from '../../src/xr/panels/panel-layout';
import { cartSummaryLine, certificationsLine, originLine } from '../../src/xr/panels/panel-text';

/** World point → panel coordinates (inverse of panelPointToWorld, written out independently). */
function toPanel(pose: PanelPose, p: [number, number, number]): { x: number; y: number; z: number } {
  const dx = p[0] - pose.x;
  const dz = p[2] - pose.z;
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  return { x: c * dx - s * dz, y: p[1] - pose.y, z: s * dx + c * dz };
}

function overlaps(a: PanelButton, b: PanelButton): boolean {
  return (
    Math.abs(a.x - b.x) < (a.width + b.width) / 2 - 1e-9 &&
    Math.abs(a.y - b.y) < (a.height + b.height) / 2 - 1e-9
  );
}

describe('product panel layout', () => {
  const skus = ['A-1', 'A-2', 'A-3', 'A-4'];
  const layout = productPanelLayout(skus);

  test('one button per variant plus Add to cart, Inspect and Close, all inside the panel and apart', () => {
    expect(layout.buttons.map((b) => b.name)).toEqual([
      'variant:A-1',
      'variant:A-2',
      'variant:A-3',
      'variant:A-4',
      'add-to-cart',
      'inspect',
      'close',
    ]);
    for (const b of layout.buttons) {
      expect(Math.abs(b.x) + b.width / 2).toBeLessThanOrEqual(layout.width / 2);
      expect(Math.abs(b.y) + b.height / 2).toBeLessThanOrEqual(layout.height / 2);
      expect(buttonAt(layout.buttons, b.x, b.y)).toBe(b.name);
    }
    for (const a of layout.buttons)
      for (const b of layout.buttons) if (a !== b) expect(overlaps(a, b)).toBe(false);
    // Between buttons and outside them there is nothing to press.
    expect(buttonAt(layout.buttons, 0, layout.rows.title.y)).toBeUndefined();
    expect(buttonAt(layout.buttons, layout.width, 0)).toBeUndefined();
  });

  test('"Put back" takes the place of "Inspect" while inspecting', () => {
    const inspecting = productPanelLayout(skus, true);
    const names = inspecting.buttons.map((b) => b.name);
    expect(names).toContain('put-back');
    expect(names).not.toContain('inspect');
    const put = inspecting.buttons.find((b) => b.name === 'put-back');
    const inspect = layout.buttons.find((b) => b.name === 'inspect');
    expect(put && { x: put.x, y: put.y }).toEqual(inspect && { x: inspect.x, y: inspect.y });
  });

  test('every letter keeps a cap height of at least 1.5 cm (readable at 0.6–1 m)', () => {
    const sizes = [
      ...Object.values(layout.rows).map((r) => r.fontSize),
      layout.buttonFontSize,
      ...Object.values(cartPanelLayout().rows).map((r) => r.fontSize),
      cartPanelLayout().buttonFontSize,
    ];
    for (const size of sizes) expect(size * CAP_HEIGHT_RATIO).toBeGreaterThanOrEqual(0.015);
  });

  test('rows are stacked top to bottom without overlapping', () => {
    const order = ['title', 'price', 'stock', 'certifications', 'origin', 'status'] as const;
    for (let i = 1; i < order.length; i++) {
      const above = layout.rows[order[i - 1] as (typeof order)[number]];
      const below = layout.rows[order[i] as (typeof order)[number]];
      expect(above.y - above.height / 2).toBeGreaterThanOrEqual(below.y + below.height / 2 - 1e-9);
    }
  });
});

describe('cart panel layout', () => {
  test('the QR code square appears below the button only once there is a code', () => {
    const plain = cartPanelLayout();
    const withQr = cartPanelLayout(true);
    expect(plain.qr.width).toBe(0);
    expect(withQr.height).toBeGreaterThan(plain.height + withQr.qr.height);
    const button = withQr.buttons[0];
    expect(button?.name).toBe('hand-off');
    expect(withQr.qr.y + withQr.qr.height / 2).toBeLessThan((button?.y ?? 0) - (button?.height ?? 0) / 2);
    expect(withQr.qr.y - withQr.qr.height / 2).toBeGreaterThanOrEqual(-withQr.height / 2);
  });
});

describe('panel pose', () => {
  const head = { x: 1, y: 1.6, z: 2 };

  test.each([
    ['far product', { x: 1, y: 0.8, z: -3 }],
    ['near product', { x: 1.2, y: 0.9, z: 1.3 }],
    ['product to the side', { x: -2, y: 1.5, z: 2 }],
  ])('%s: at arm’s length, right of the line of sight, facing the eyes', (_name, product) => {
    const pose = panelPose(head, product);
    const d = Math.hypot(pose.x - head.x, pose.z - head.z);
    expect(d).toBeGreaterThanOrEqual(PANEL_NEAR);
    expect(d).toBeLessThanOrEqual(Math.hypot(PANEL_FAR, 0.3));
    expect(pose.y).toBeGreaterThanOrEqual(0.9);
    expect(pose.y).toBeLessThanOrEqual(1.7);
    // Its front (+z after the turn) points at the eyes.
    const front = { x: Math.sin(pose.yaw), z: Math.cos(pose.yaw) };
    expect((front.x * (head.x - pose.x) + front.z * (head.z - pose.z)) / d).toBeCloseTo(1, 6);
    // Right of the line from the eyes to the product (cross product y < 0 means "to the right" in three.js).
    const los = { x: product.x - head.x, z: product.z - head.z };
    const rel = { x: pose.x - head.x, z: pose.z - head.z };
    expect(los.x * rel.z - los.z * rel.x).toBeGreaterThan(0);
  });

  test('button world positions land back on the same buttons, on the panel plane', () => {
    const layout = productPanelLayout(['B-1', 'B-2']);
    const pose = panelPose(head, { x: 3, y: 1, z: 0 });
    const world = buttonWorldPositions(pose, layout.buttons);
    expect(Object.keys(world)).toHaveLength(layout.buttons.length);
    for (const [name, p] of Object.entries(world)) {
      const local = toPanel(pose, p);
      expect(local.z).toBeCloseTo(0, 9);
      expect(buttonAt(layout.buttons, local.x, local.y)).toBe(name);
    }
  });
});

describe('panel words', () => {
  const product = {
    countryOfOrigin: 'PT',
    certifications: [
      {
        name: 'FSC Chain of Custody',
        issuedBy: 'FSC',
        certificationIdentification: 'FSC-C1',
        validFrom: '2024-01-01',
      },
    ],
    provenance: [
      {
        eventTime: '2024-03-01T10:00:00Z',
        bizStep: 'assembling' as const,
        location: { name: 'Porto workshop', country: 'PT' },
        actor: 'Oficina',
        description: '',
        hash: '0'.repeat(64),
      },
      {
        eventTime: '2024-05-02T10:00:00Z',
        bizStep: 'shipping' as const,
        location: { name: 'Leixões', country: 'PT' },
        actor: 'Carrier',
        description: '',
        hash: '1'.repeat(64),
      },
    ],
  };

  test('origin: country of origin and the last provenance step', () => {
    expect(originLine(product)).toBe('Made in Portugal · Last: Shipped at Leixões, Portugal on May 2, 2024');
    expect(originLine({ ...product, provenance: [] })).toBe('Made in Portugal');
  });

  test('certifications', () => {
    expect(certificationsLine(product)).toBe('Certified: FSC Chain of Custody');
    expect(certificationsLine({ certifications: [] })).toBe('No certifications');
  });

  test('cart summary', () => {
    expect(cartSummaryLine(0, [])).toBe('Cart empty');
    expect(cartSummaryLine(1, [{ amount: 45000, currency: 'EUR' }])).toBe('1 line · €450.00');
    expect(
      cartSummaryLine(3, [
        { amount: 120000, currency: 'EUR' },
        { amount: 4000, currency: 'USD' },
      ]),
    ).toBe('3 lines · €1,200.00 + $40.00');
  });
});
