/**
 * Preload hints for the product page: the app shell served for `/product/:id` gets `<link>` tags (no scripts:
 * the CSP allows none inline) for what that page will fetch once its code runs: the first catalog page a
 * device without a catalog pulls at start, the route's JavaScript chunks (read from Vite's build manifest), the product's GLB model,
 * the baked environment map and the poster. The downloads then overlap the shell's start-up and the catalog
 * pull instead of following them.
 * Owns a cache of rewritten shells per product, dropped when the build or the catalog version changes.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { findProduct, readCursor } from './storage/catalog-store';
import type { Database } from './storage/schema';

/**
 * Source modules (keys of the build manifest) the product page loads on a cold start, after the shell's
 * entry: the catalog pull that fills the database the page reads, the page, and its 3D viewer. Modules a build
 * does not have are skipped.
 */
export const PRODUCT_ROUTE_MODULES: readonly string[] = [
  'src/sync/catalog-pull.ts',
  'src/features/product/ProductPage.tsx',
  'src/features/product/ProductViewer.tsx',
];

/**
 * The first page of the catalog change feed, which a device without a catalog pulls at start
 * (src/sync/catalog-pull.ts, FIRST_PAGE_PATH). A device with a catalog asks for changes since its own cursor
 * instead; it is then normally started by its service worker, which serves the shell without these hints.
 */
export const CATALOG_FIRST_PAGE_PATH = '/api/v1/catalog/changes?since=0&limit=200';

/** The baked environment every 3D view lights with, relative to the app folder (src/scene/room-environment.ts). */
export const ENVIRONMENT_FILE = 'environments/room.pmrem.gz';

/** Where Vite writes its manifest with `build.manifest: true`, relative to the app folder. */
export const MANIFEST_FILE = '.vite/manifest.json';

/** The part of a Vite manifest chunk used here. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

/** What the product page needs from one product. */
export interface ProductAssets {
  modelUrl: string;
  posterUrl: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Files of `roots` and of every chunk they import statically, minus what the entry already loads: JavaScript
 * chunks and stylesheets, as URL paths in load order.
 */
export function routeFiles(
  manifest: Manifest,
  roots: readonly string[],
): { scripts: string[]; styles: string[] } {
  const loaded = new Set<string>();
  const visitEntry = (key: string): void => {
    if (loaded.has(key)) return;
    loaded.add(key);
    for (const next of manifest[key]?.imports ?? []) visitEntry(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visitEntry(key);

  const scripts: string[] = [];
  const styles: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key) || loaded.has(key)) return;
    seen.add(key);
    for (const next of chunk.imports ?? []) visit(next);
    scripts.push(`/${chunk.file}`);
    for (const css of chunk.css ?? []) styles.push(`/${css}`);
  };
  for (const root of roots) visit(root);
  return { scripts, styles };
}

/** The `<link>` tags for a product page, one per line. */
export function productHintTags(
  files: { scripts: string[]; styles: string[] },
  product: ProductAssets,
  environmentUrl: string | null,
): string {
  const tags = [
    `<link rel="preload" as="fetch" crossorigin href="${escapeAttribute(CATALOG_FIRST_PAGE_PATH)}">`,
    ...files.scripts.map((href) => `<link rel="modulepreload" crossorigin href="${escapeAttribute(href)}">`),
    ...files.styles.map(
      (href) => `<link rel="preload" as="style" crossorigin href="${escapeAttribute(href)}">`,
    ),
    // `crossorigin` makes these cors-mode requests, as the viewer's fetch() calls are, so the browser reuses them.
    `<link rel="preload" as="fetch" crossorigin type="model/gltf-binary" href="${escapeAttribute(product.modelUrl)}">`,
    ...(environmentUrl === null
      ? []
      : [`<link rel="preload" as="fetch" crossorigin href="${escapeAttribute(environmentUrl)}">`]),
    `<link rel="preload" as="image" href="${escapeAttribute(product.posterUrl)}">`,
  ];
  return tags.map((tag) => `    ${tag}\n`).join('');
}

/** Inserts `tags` at the end of the document head (or returns the shell unchanged when it has none). */
export function insertIntoHead(html: string, tags: string): string {
  const close = /(?:\n[ \t]*)?<\/head>/i.exec(html);
  if (!close) return html;
  // After the line break before </head>, so that the tags keep their own indentation.
  const at = close.index + (close[0].startsWith('\n') ? 1 : 0);
  return html.slice(0, at) + tags + html.slice(at);
}

async function modifiedAt(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return -1;
  }
}

/** What the shell and the hints were made from: a change in any of them invalidates the cache. */
interface Build {
  /** index.html and manifest modification times. */
  stamp: string;
  html: string;
  files: { scripts: string[]; styles: string[] };
  environmentUrl: string | null;
}

/**
 * Builds product shells for one app folder: `shell(id)` is index.html with the hints of product `id`, or
 * null when there is no such product (the caller then serves the plain shell).
 */
export class ProductShells {
  private build: Promise<Build> | null = null;
  private buildStamp = '';
  private readonly pages = new Map<string, string>();
  private pagesKey = '';

  constructor(
    private readonly appDir: string,
    private readonly db: Kysely<Database>,
    /** Most shells kept (one per product). */
    private readonly limit = 2000,
  ) {}

  private async currentBuild(): Promise<Build> {
    const index = path.join(this.appDir, 'index.html');
    const manifestFile = path.join(this.appDir, MANIFEST_FILE);
    const environment = path.join(this.appDir, ENVIRONMENT_FILE);
    const stamps = await Promise.all([index, manifestFile, environment].map(modifiedAt));
    const stamp = stamps.join(':');
    if (this.build === null || stamp !== this.buildStamp) {
      this.buildStamp = stamp;
      this.build = (async () => {
        const html = await readFile(index, 'utf8');
        let manifest: Manifest = {};
        try {
          manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
        } catch {
          // No manifest (an older build): no chunk hints, the rest still helps.
        }
        return {
          stamp,
          html,
          files: routeFiles(manifest, PRODUCT_ROUTE_MODULES),
          environmentUrl: stamps[2] === -1 ? null : `/${ENVIRONMENT_FILE}`,
        };
      })();
      this.build.catch(() => {
        this.build = null;
      });
    }
    return this.build;
  }

  /** index.html with product `id`'s preload hints, or null for an unknown product. */
  async shell(id: string): Promise<string | null> {
    const [build, cursor] = await Promise.all([this.currentBuild(), readCursor(this.db)]);
    const key = `${build.stamp}@${cursor}`;
    if (key !== this.pagesKey) {
      this.pages.clear();
      this.pagesKey = key;
    }
    const cached = this.pages.get(id);
    if (cached !== undefined) return cached;
    const product = await findProduct(this.db, id);
    if (product === undefined) return null;
    const page = insertIntoHead(
      build.html,
      productHintTags(
        build.files,
        { modelUrl: product.model.url, posterUrl: product.poster.url },
        build.environmentUrl,
      ),
    );
    if (this.pages.size >= this.limit) this.pages.clear();
    this.pages.set(id, page);
    return page;
  }
}
