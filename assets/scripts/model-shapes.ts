/**
 * The geometry of every demo product, part by part, in metres: x = width, y = height (0 at the floor),
 * z = depth, the front facing +z, centred on x and z. Each part names the material slot its variant looks
 * fill (see `Look` in demo-catalog.ts). Wall items hang with their back at z = -depth/2.
 */
import { box, cylinder, lathe, torus, translate, yAxisToZ } from './mesh-primitives';
import type { MeshData, ProfilePoint } from './mesh-primitives';

/** One named node of a model. */
export interface Part {
  name: string;
  slot: string;
  mesh: MeshData;
}

type Shape = () => Part[];

const part = (name: string, slot: string, mesh: MeshData): Part => ({ name, slot, mesh });

/** A vertical round part standing at (x, z). */
const post = (x: number, z: number, y0: number, y1: number, rBottom: number, rTop = rBottom, segments = 16) =>
  translate(cylinder(y0, y1, rBottom, rTop, segments), [x, 0, z]);

/** Four square legs inset from the corners of a width × depth footprint. */
function squareLegs(
  slot: string,
  width: number,
  depth: number,
  inset: number,
  size: number,
  height: number,
): Part[] {
  const xs = width / 2 - inset;
  const zs = depth / 2 - inset;
  const corners: [number, number][] = [
    [-xs, zs],
    [xs, zs],
    [xs, -zs],
    [-xs, -zs],
  ];
  return corners.map(([x, z], i) =>
    part(`leg-${i + 1}`, slot, box([x - size / 2, 0, z - size / 2], [x + size / 2, height, z + size / 2])),
  );
}

/** A thin-walled open shade between two radii (a lampshade), walls `t` thick. */
function shade(y0: number, y1: number, rBottom: number, rTop: number, t: number, segments: number): MeshData {
  const runs: ProfilePoint[][] = [
    [
      [rBottom, y0],
      [rTop, y1],
    ],
    [
      [rTop, y1],
      [rTop - t, y1],
    ],
    [
      [rTop - t, y1],
      [rBottom - t, y0],
    ],
    [
      [rBottom - t, y0],
      [rBottom, y0],
    ],
  ];
  return lathe(runs, segments);
}

const asterDiningChair: Shape = () => {
  const [w, h, d] = [0.46, 0.8, 0.52];
  const leg = 0.035;
  const seatY = 0.43;
  const x0 = -w / 2;
  const z0 = -d / 2;
  const front = d / 2 - leg;
  const back = z0 + leg;
  return [
    part('leg-1', 'wood', box([x0, 0, front], [x0 + leg, seatY, d / 2])),
    part('leg-2', 'wood', box([w / 2 - leg, 0, front], [w / 2, seatY, d / 2])),
    part('leg-3', 'wood', box([w / 2 - leg, 0, z0], [w / 2, h, back])),
    part('leg-4', 'wood', box([x0, 0, z0], [x0 + leg, h, back])),
    part('rail-front', 'wood', box([x0 + leg, 0.36, front + 0.01], [w / 2 - leg, seatY, front + 0.03])),
    part('rail-back', 'wood', box([x0 + leg, 0.36, z0 + 0.005], [w / 2 - leg, seatY, back - 0.005])),
    part('rail-left', 'wood', box([x0 + 0.01, 0.36, back], [x0 + 0.03, seatY, front])),
    part('rail-right', 'wood', box([w / 2 - 0.03, 0.36, back], [w / 2 - 0.01, seatY, front])),
    part('seat', 'wood', box([x0, seatY, z0 + 0.002], [w / 2, 0.46, d / 2])),
    part('back', 'wood', box([x0 + leg, 0.6, z0 + 0.008], [w / 2 - leg, 0.78, z0 + 0.028])),
  ];
};

const fjordLoungeChair: Shape = () => {
  const [w, h, d] = [0.74, 0.76, 0.8];
  const legs: Part[] = (
    [
      [-0.32, 0.34],
      [0.32, 0.34],
      [0.32, -0.34],
      [-0.32, -0.34],
    ] as const
  ).map(([x, z], i) => part(`leg-${i + 1}`, 'wood', post(x, z, 0, 0.2, 0.016, 0.024, 16)));
  return [
    ...legs,
    part('frame', 'wood', box([-w / 2 + 0.02, 0.2, -d / 2 + 0.02], [w / 2 - 0.02, 0.24, d / 2 - 0.02])),
    part('base', 'fabric', box([-w / 2, 0.24, -d / 2], [w / 2, 0.34, d / 2])),
    part('arm-left', 'fabric', box([-w / 2, 0.34, -d / 2], [-w / 2 + 0.08, 0.56, d / 2 - 0.03])),
    part('arm-right', 'fabric', box([w / 2 - 0.08, 0.34, -d / 2], [w / 2, 0.56, d / 2 - 0.03])),
    part('seat', 'fabric', box([-w / 2 + 0.085, 0.34, -d / 2 + 0.17], [w / 2 - 0.085, 0.45, d / 2 - 0.01])),
    part('back', 'fabric', box([-w / 2 + 0.08, 0.34, -d / 2], [w / 2 - 0.08, h, -d / 2 + 0.16])),
  ];
};

const brukStool: Shape = () => {
  const at = 0.1;
  const legs = (
    [
      [-at, at],
      [at, at],
      [at, -at],
      [-at, -at],
    ] as const
  ).map(([x, z], i) => part(`leg-${i + 1}`, 'wood', post(x, z, 0, 0.43, 0.016, 0.018, 16)));
  return [
    ...legs,
    part('stretcher-left', 'wood', box([-at - 0.008, 0.16, -at], [-at + 0.008, 0.18, at])),
    part('stretcher-right', 'wood', box([at - 0.008, 0.16, -at], [at + 0.008, 0.18, at])),
    part('stretcher-middle', 'wood', box([-at, 0.162, -0.008], [at, 0.178, 0.008])),
    part('seat', 'wood', cylinder(0.43, 0.46, 0.18, 0.18, 48)),
  ];
};

const sovaSofa: Shape = () => {
  const [w, h, d] = [2.1, 0.8, 0.92];
  const inner = w / 2 - 0.17;
  const cushion = (2 * inner) / 3;
  const legs = (
    [
      [-0.98, 0.38],
      [0.98, 0.38],
      [0.98, -0.38],
      [-0.98, -0.38],
    ] as const
  ).map(([x, z], i) => part(`leg-${i + 1}`, 'wood', post(x, z, 0, 0.12, 0.018, 0.022, 16)));
  const seats: Part[] = [];
  const backs: Part[] = [];
  for (let i = 0; i < 3; i += 1) {
    const x0 = -inner + i * cushion + 0.004;
    const x1 = -inner + (i + 1) * cushion - 0.004;
    seats.push(
      part(`seat-cushion-${i + 1}`, 'fabric', box([x0, 0.4, -d / 2 + 0.2], [x1, 0.52, d / 2 - 0.01])),
    );
    backs.push(
      part(`back-cushion-${i + 1}`, 'fabric', box([x0, 0.52, -d / 2 + 0.2], [x1, 0.76, -d / 2 + 0.36])),
    );
  }
  return [
    ...legs,
    part('base', 'fabric', box([-w / 2, 0.12, -d / 2], [w / 2, 0.4, d / 2])),
    part('arm-left', 'fabric', box([-w / 2, 0.4, -d / 2], [-inner, 0.62, d / 2])),
    part('arm-right', 'fabric', box([inner, 0.4, -d / 2], [w / 2, 0.62, d / 2])),
    part('back', 'fabric', box([-inner, 0.4, -d / 2], [inner, h, -d / 2 + 0.2])),
    ...seats,
    ...backs,
  ];
};

const tafelDiningTable: Shape = () => {
  const [w, h, d] = [1.8, 0.75, 0.9];
  const top = 0.72;
  const apronX = w / 2 - 0.11;
  const apronZ = d / 2 - 0.11;
  return [
    part('top', 'wood', box([-w / 2, top, -d / 2], [w / 2, h, d / 2])),
    ...squareLegs('wood', w, d, 0.08, 0.06, top),
    part('apron-front', 'wood', box([-apronX, 0.62, apronZ - 0.022], [apronX, top, apronZ])),
    part('apron-back', 'wood', box([-apronX, 0.62, -apronZ], [apronX, top, -apronZ + 0.022])),
    part('apron-left', 'wood', box([-apronX, 0.62, -apronZ], [-apronX + 0.022, top, apronZ])),
    part('apron-right', 'wood', box([apronX - 0.022, 0.62, -apronZ], [apronX, top, apronZ])),
  ];
};

const rondCoffeeTable: Shape = () => {
  const legs = [90, 210, 330].map((degrees, i) => {
    const a = (degrees * Math.PI) / 180;
    return part(
      `leg-${i + 1}`,
      'wood',
      post(0.3 * Math.cos(a), -0.3 * Math.sin(a), 0, 0.37, 0.02, 0.026, 16),
    );
  });
  return [
    part('top', 'wood', cylinder(0.37, 0.4, 0.45, 0.45, 64)),
    ...legs,
    part('shelf', 'wood', cylinder(0.12, 0.14, 0.33, 0.33, 48)),
  ];
};

const ekSideTable: Shape = () => {
  const [w, h, d] = [0.45, 0.55, 0.45];
  return [
    part('top', 'wood', box([-w / 2, 0.53, -d / 2], [w / 2, h, d / 2])),
    ...squareLegs('wood', w, d, 0.03, 0.032, 0.53),
    part('shelf', 'wood', box([-w / 2 + 0.046, 0.17, -d / 2 + 0.046], [w / 2 - 0.046, 0.19, d / 2 - 0.046])),
  ];
};

const haloFloorLamp: Shape = () => [
  part('base', 'metal', cylinder(0, 0.03, 0.15, 0.14, 48)),
  part('stem', 'metal', post(0, 0, 0.03, 1.34, 0.011, 0.011, 16)),
  part('collar', 'accent', post(0, 0, 0.9, 0.94, 0.016, 0.016, 16)),
  part('fitting', 'accent', post(0, 0, 1.34, 1.4, 0.02, 0.02, 16)),
  part('bulb', 'bulb', translate(lathe([sphereProfile(0.035, 12)], 24), [0, 1.44, 0])),
  part('shade', 'shade', shade(1.26, 1.6, 0.225, 0.15, 0.004, 48)),
];

/** Half-circle profile of a sphere of radius r centred on the origin, bottom pole to top pole. */
function sphereProfile(r: number, steps: number): ProfilePoint[] {
  return Array.from({ length: steps + 1 }, (_, i): ProfilePoint => {
    const a = -Math.PI / 2 + (Math.PI * i) / steps;
    return [i === 0 || i === steps ? 0 : r * Math.cos(a), r * Math.sin(a)];
  });
}

const luneTableLamp: Shape = () => [
  part(
    'base',
    'ceramic',
    lathe(
      [
        [
          [0, 0],
          [0.065, 0],
        ],
        [
          [0.065, 0],
          [0.088, 0.03],
          [0.1, 0.08],
          [0.094, 0.13],
          [0.07, 0.18],
          [0.04, 0.215],
          [0.028, 0.235],
        ],
        [
          [0.028, 0.235],
          [0.028, 0.25],
        ],
        [
          [0.028, 0.25],
          [0, 0.25],
        ],
      ],
      48,
    ),
  ),
  part('stem', 'metal', post(0, 0, 0.25, 0.31, 0.008, 0.008, 12)),
  part('lamp-holder', 'metal', post(0, 0, 0.31, 0.35, 0.016, 0.016, 16)),
  part('shade', 'shade', shade(0.27, 0.46, 0.14, 0.1, 0.003, 48)),
];

const lagBookcase: Shape = () => {
  const [w, h, d] = [0.9, 1.9, 0.36];
  const side = 0.022;
  const board = 0.022;
  const inner = w / 2 - side;
  const boards = [0.07, 0.43, 0.79, 1.15, 1.51].map((y, i) =>
    part(`board-${i + 1}`, 'wood', box([-inner, y, -d / 2 + 0.012], [inner, y + board, d / 2 - 0.005])),
  );
  return [
    part('side-left', 'wood', box([-w / 2, 0, -d / 2], [-inner, h, d / 2])),
    part('side-right', 'wood', box([inner, 0, -d / 2], [w / 2, h, d / 2])),
    part('top', 'wood', box([-inner, h - board, -d / 2 + 0.012], [inner, h, d / 2])),
    ...boards,
    part('back', 'wood', box([-inner, 0.07, -d / 2], [inner, h - board, -d / 2 + 0.012])),
    part('plinth', 'wood', box([-inner, 0, d / 2 - 0.04], [inner, 0.07, d / 2 - 0.02])),
  ];
};

const basSideboard: Shape = () => {
  const [w, h, d] = [1.6, 0.75, 0.45];
  const bodyFront = d / 2 - 0.02;
  const doorWidth = (w - 0.04) / 4;
  const doors: Part[] = [];
  const pulls: Part[] = [];
  for (let i = 0; i < 4; i += 1) {
    const x0 = -w / 2 + 0.02 + i * doorWidth + 0.002;
    const x1 = x0 + doorWidth - 0.004;
    doors.push(part(`door-${i + 1}`, 'wood', box([x0, 0.17, bodyFront], [x1, 0.73, bodyFront + 0.01])));
    const pullX = i % 2 === 0 ? x1 - 0.03 : x0 + 0.03;
    pulls.push(
      part(
        `pull-${i + 1}`,
        'metal',
        box([pullX - 0.006, 0.42, bodyFront + 0.01], [pullX + 0.006, 0.56, d / 2]),
      ),
    );
  }
  return [
    ...squareLegs('wood', w, d, 0.07, 0.04, 0.15),
    part('body', 'wood', box([-w / 2, 0.15, -d / 2], [w / 2, h, bodyFront])),
    ...doors,
    ...pulls,
  ];
};

const hyllaWallShelf: Shape = () => {
  const [w, h, d] = [0.8, 0.3, 0.22];
  const side = 0.018;
  const inner = w / 2 - side;
  return [
    part('side-left', 'wood', box([-w / 2, 0, -d / 2], [-inner, h, d / 2])),
    part('side-right', 'wood', box([inner, 0, -d / 2], [w / 2, h, d / 2])),
    part('board-1', 'wood', box([-inner, 0.02, -d / 2 + 0.012], [inner, 0.04, d / 2])),
    part('board-2', 'wood', box([-inner, 0.16, -d / 2 + 0.012], [inner, 0.18, d / 2])),
    part('rail', 'wood', box([-inner, 0.24, -d / 2], [inner, 0.28, -d / 2 + 0.012])),
  ];
};

const rundWallMirror: Shape = () => {
  const [w, , d] = [0.7, 0.7, 0.04];
  const tube = d / 2;
  const centre = w / 2;
  return [
    part('frame', 'frame', translate(yAxisToZ(torus(w / 2 - tube, tube, 96, 16)), [0, centre, 0])),
    part('glass', 'glass', translate(yAxisToZ(cylinder(-0.008, 0.006, 0.32, 0.32, 96)), [0, centre, 0])),
    part('back', 'frame', translate(yAxisToZ(cylinder(-tube, -0.008, 0.325, 0.325, 96)), [0, centre, 0])),
  ];
};

const leraVase: Shape = () => [
  part(
    'body',
    'ceramic',
    lathe(
      [
        [
          [0, 0],
          [0.055, 0],
        ],
        [
          [0.055, 0],
          [0.075, 0.025],
          [0.088, 0.07],
          [0.09, 0.12],
          [0.08, 0.18],
          [0.058, 0.235],
          [0.042, 0.275],
          [0.04, 0.3],
          [0.046, 0.32],
        ],
        [
          [0.046, 0.32],
          [0.04, 0.32],
        ],
        [
          [0.04, 0.32],
          [0.035, 0.3],
          [0.036, 0.275],
          [0.052, 0.235],
          [0.074, 0.18],
          [0.084, 0.12],
          [0.082, 0.07],
          [0.068, 0.028],
          [0.045, 0.012],
          [0, 0.012],
        ],
      ],
      48,
    ),
  ),
];

const skalBowl: Shape = () => [
  part(
    'body',
    'ceramic',
    lathe(
      [
        [
          [0, 0],
          [0.06, 0],
        ],
        [
          [0.06, 0],
          [0.062, 0.012],
        ],
        [
          [0.062, 0.012],
          [0.09, 0.024],
          [0.12, 0.048],
          [0.14, 0.075],
          [0.15, 0.1],
        ],
        [
          [0.15, 0.1],
          [0.144, 0.1],
        ],
        [
          [0.144, 0.1],
          [0.134, 0.076],
          [0.114, 0.05],
          [0.084, 0.03],
          [0.05, 0.02],
          [0, 0.018],
        ],
      ],
      64,
    ),
  ),
];

const vavWoolRug: Shape = () => {
  // A woven field inside a 10 cm border, all one 12 mm slab.
  const [x, z, t, b] = [1, 0.7, 0.012, 0.1];
  return [
    part('field', 'wool', box([-x + b, 0, -z + b], [x - b, t, z - b])),
    part('border-front', 'border', box([-x, 0, z - b], [x, t, z])),
    part('border-back', 'border', box([-x, 0, -z], [x, t, -z + b])),
    part('border-left', 'border', box([-x, 0, -z + b], [-x + b, t, z - b])),
    part('border-right', 'border', box([x - b, 0, -z + b], [x, t, z - b])),
  ];
};

/** Geometry builder of each product, by product id. */
export const SHAPES: Record<string, Shape> = {
  'aster-dining-chair': asterDiningChair,
  'fjord-lounge-chair': fjordLoungeChair,
  'bruk-stool': brukStool,
  'sova-sofa': sovaSofa,
  'tafel-dining-table': tafelDiningTable,
  'rond-coffee-table': rondCoffeeTable,
  'ek-side-table': ekSideTable,
  'halo-floor-lamp': haloFloorLamp,
  'lune-table-lamp': luneTableLamp,
  'lag-bookcase': lagBookcase,
  'bas-sideboard': basSideboard,
  'hylla-wall-shelf': hyllaWallShelf,
  'rund-wall-mirror': rundWallMirror,
  'lera-vase': leraVase,
  'skal-bowl': skalBowl,
  'vav-wool-rug': vavWoolRug,
};
