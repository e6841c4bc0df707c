/**
 * Layout of a brand folder, the unit a brand keeps and publishes (the demo brand lives in assets/brands/<id>/):
 *
 *   brand.json        Brand
 *   categories.json   Category[]
 *   products.json     ProductSource[]
 *   showrooms.json    Showroom[] (each with this brand's id)
 *   models/<product id>.glb    one model per product, metres, +Y up, origin at bottom centre
 *   posters/<product id>.jpg   a still of that model, rendered from it
 *
 * Side effect: loads zod's English error messages (`zod/mini`, unlike classic zod, loads none and says only
 * "Invalid input"). Only the server, the CLI and scripts read brand folders, and they show zod's messages to
 * brands; the app never imports this module, so the messages stay out of its bundle.
 */
import { z } from 'zod/mini';
import { en } from 'zod/locales';
import { Brand, Category, ProductSource, Showroom } from './catalog';

z.config(en());

export const BRAND_FILES = {
  brand: 'brand.json',
  categories: 'categories.json',
  products: 'products.json',
  showrooms: 'showrooms.json',
} as const;

export const modelPath = (productId: string): string => `models/${productId}.glb`;
export const posterPath = (productId: string): string => `posters/${productId}.jpg`;

export const BrandFolderData = z.object({
  brand: Brand,
  categories: z.array(Category),
  products: z.array(ProductSource),
  showrooms: z.array(Showroom),
});
export type BrandFolderData = z.infer<typeof BrandFolderData>;
