/**
 * Layout of a brand folder, the unit a brand keeps and publishes (the demo brand lives in assets/brands/<id>/):
 *
 *   brand.json        Brand
 *   categories.json   Category[]
 *   products.json     ProductSource[]
 *   showrooms.json    Showroom[] (each with this brand's id)
 *   models/<product id>.glb    one model per product, metres, +Y up, origin at bottom centre
 *   posters/<product id>.jpg   a still of that model, rendered from it
 */
import { z } from 'zod';
import { Brand, Category, ProductSource, Showroom } from './catalog';

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
