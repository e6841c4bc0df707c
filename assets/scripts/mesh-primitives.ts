/**
 * Indexed triangle meshes with normals for the demo models: boxes, cylinders and frustums, lathe (revolved)
 * profiles and tori. Every function returns vertices in model space (metres, +Y up); faces wind
 * counter-clockwise seen from the side their normals point to. Round shapes use a multiple of four segments
 * starting on the +x axis, so their extents along x and z equal their radius exactly.
 */

/** A point or direction in model space. */
export type Vec3 = readonly [number, number, number];

/** A point of a lathe profile: distance from the axis, height. */
export type ProfilePoint = readonly [r: number, y: number];

/** One entry per vertex; flattened into typed accessors when the document is written. */
export interface MeshData {
  positions: Vec3[];
  normals: Vec3[];
  indices: number[];
}

/** `list[index]`, throwing instead of returning undefined (for index arithmetic the compiler cannot check). */
export function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`index ${index} outside 0..${list.length - 1}`);
  return item;
}

const empty = (): MeshData => ({ positions: [], normals: [], indices: [] });

function pushVertex(mesh: MeshData, p: Vec3, n: Vec3): number {
  const length = Math.hypot(n[0], n[1], n[2]) || 1;
  mesh.positions.push([p[0], p[1], p[2]]);
  mesh.normals.push([n[0] / length, n[1] / length, n[2] / length]);
  return mesh.positions.length - 1;
}

/** Adds triangle a-b-c, flipping it if needed so that it faces the way its vertex normals point. */
function pushTriangle(mesh: MeshData, a: number, b: number, c: number): void {
  const [pa, pb, pc] = [at(mesh.positions, a), at(mesh.positions, b), at(mesh.positions, c)];
  const [na, nb, nc] = [at(mesh.normals, a), at(mesh.normals, b), at(mesh.normals, c)];
  const u = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]] as const;
  const v = [pc[0] - pa[0], pc[1] - pa[1], pc[2] - pa[2]] as const;
  const cross = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]] as const;
  if (Math.hypot(...cross) < 1e-12) return; // degenerate (a lathe point on the axis)
  const facing =
    cross[0] * (na[0] + nb[0] + nc[0]) +
    cross[1] * (na[1] + nb[1] + nc[1]) +
    cross[2] * (na[2] + nb[2] + nc[2]);
  if (facing >= 0) mesh.indices.push(a, b, c);
  else mesh.indices.push(a, c, b);
}

/** An axis-aligned box from its two opposite corners, with flat faces (4 vertices each). */
export function box(min: Vec3, max: Vec3): MeshData {
  const mesh = empty();
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const faces: [Vec3, Vec3[]][] = [
    [
      [1, 0, 0],
      [
        [x1, y0, z0],
        [x1, y1, z0],
        [x1, y1, z1],
        [x1, y0, z1],
      ],
    ],
    [
      [-1, 0, 0],
      [
        [x0, y0, z0],
        [x0, y0, z1],
        [x0, y1, z1],
        [x0, y1, z0],
      ],
    ],
    [
      [0, 1, 0],
      [
        [x0, y1, z0],
        [x0, y1, z1],
        [x1, y1, z1],
        [x1, y1, z0],
      ],
    ],
    [
      [0, -1, 0],
      [
        [x0, y0, z0],
        [x1, y0, z0],
        [x1, y0, z1],
        [x0, y0, z1],
      ],
    ],
    [
      [0, 0, 1],
      [
        [x0, y0, z1],
        [x1, y0, z1],
        [x1, y1, z1],
        [x0, y1, z1],
      ],
    ],
    [
      [0, 0, -1],
      [
        [x0, y0, z0],
        [x0, y1, z0],
        [x1, y1, z0],
        [x1, y0, z0],
      ],
    ],
  ];
  for (const [normal, corners] of faces) {
    const [a, b, c, d] = corners.map((corner) => pushVertex(mesh, corner, normal)) as [
      number,
      number,
      number,
      number,
    ];
    pushTriangle(mesh, a, b, c);
    pushTriangle(mesh, a, c, d);
  }
  return mesh;
}

/**
 * Revolves a profile around the y axis. The profile is a list of runs; inside a run normals are smoothed,
 * between runs the edge stays sharp. Normals point to the left of the walking direction in the (r, y) plane
 * turned outwards, so walk up the outside of a shape and down its inside.
 */
export function lathe(runs: readonly (readonly ProfilePoint[])[], segments: number): MeshData {
  if (segments % 4 !== 0) throw new Error('lathe: segments must be a multiple of 4');
  const mesh = empty();
  for (const run of runs) {
    // 2D normal of each profile segment: direction (dr, dy) turned clockwise is (dy, -dr).
    const segmentNormals = run.slice(1).map(([r1, y1], i): [number, number] => {
      const [r0, y0] = at(run, i);
      const length = Math.hypot(r1 - r0, y1 - y0) || 1;
      return [(y1 - y0) / length, -(r1 - r0) / length];
    });
    const rings = run.map(([r, y], i) => {
      const before = segmentNormals[i - 1];
      const after = segmentNormals[i];
      const [nr, ny] =
        before && after ? [before[0] + after[0], before[1] + after[1]] : (before ?? at(segmentNormals, i));
      const ring: number[] = [];
      for (let s = 0; s <= segments; s += 1) {
        const cos = exactCos(s, segments);
        const sin = exactSin(s, segments);
        ring.push(pushVertex(mesh, [r * cos, y, -r * sin], [nr * cos, ny, -nr * sin]));
      }
      return ring;
    });
    for (const [i, upper] of rings.slice(1).entries()) {
      const lower = at(rings, i);
      for (let s = 0; s < segments; s += 1) {
        pushTriangle(mesh, at(lower, s), at(lower, s + 1), at(upper, s + 1));
        pushTriangle(mesh, at(lower, s), at(upper, s + 1), at(upper, s));
      }
    }
  }
  return mesh;
}

/** cos(2πk/n) with exact 0 and ±1 at the quarter turns, so bounds come out exact. */
function exactCos(k: number, n: number): number {
  return exactSin(k + n / 4, n);
}

/** sin(2πk/n), exact at the quarter turns. */
function exactSin(k: number, n: number): number {
  const step = ((k % n) + n) % n;
  if (step === 0 || step === n / 2) return 0;
  if (step === n / 4) return 1;
  if (step === (3 * n) / 4) return -1;
  return Math.sin((2 * Math.PI * step) / n);
}

/** A closed cylinder or frustum along y between heights y0 and y1, with flat caps. */
export function cylinder(
  y0: number,
  y1: number,
  radiusBottom: number,
  radiusTop: number,
  segments = 32,
): MeshData {
  return lathe(
    [
      [
        [0, y0],
        [radiusBottom, y0],
      ],
      [
        [radiusBottom, y0],
        [radiusTop, y1],
      ],
      [
        [radiusTop, y1],
        [0, y1],
      ],
    ],
    segments,
  );
}

/** A torus around the y axis (ring radius `major`, tube radius `minor`), centred on the origin. */
export function torus(major: number, minor: number, segments = 64, tubeSegments = 16): MeshData {
  if (segments % 4 !== 0 || tubeSegments % 4 !== 0) throw new Error('torus: segments must be multiples of 4');
  const mesh = empty();
  const grid: number[][] = [];
  for (let s = 0; s <= segments; s += 1) {
    const cos = exactCos(s, segments);
    const sin = exactSin(s, segments);
    const row: number[] = [];
    for (let t = 0; t <= tubeSegments; t += 1) {
      const tc = exactCos(t, tubeSegments);
      const ts = exactSin(t, tubeSegments);
      const r = major + minor * tc;
      row.push(pushVertex(mesh, [r * cos, minor * ts, -r * sin], [tc * cos, ts, -tc * sin]));
    }
    grid.push(row);
  }
  for (const [s, next] of grid.slice(1).entries()) {
    const row = at(grid, s);
    for (let t = 0; t < tubeSegments; t += 1) {
      pushTriangle(mesh, at(row, t), at(next, t), at(next, t + 1));
      pushTriangle(mesh, at(row, t), at(next, t + 1), at(row, t + 1));
    }
  }
  return mesh;
}

/** Moves a mesh by an offset (in place) and returns it. */
export function translate(mesh: MeshData, offset: Vec3): MeshData {
  mesh.positions = mesh.positions.map(([x, y, z]) => [x + offset[0], y + offset[1], z + offset[2]]);
  return mesh;
}

/** Turns a mesh built around the y axis so that this axis points along +z (a quarter turn about x), in place. */
export function yAxisToZ(mesh: MeshData): MeshData {
  const turn = ([x, y, z]: Vec3): Vec3 => [x, -z, y];
  mesh.positions = mesh.positions.map(turn);
  mesh.normals = mesh.normals.map(turn);
  return mesh;
}
