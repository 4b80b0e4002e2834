import type { DemoOrg } from './demo-org.ts';
import { buildDefaultOrg } from './build-default-org.ts';
import { buildScaledOrg } from './build-scaled-org.ts';

export type { CatalogEntity, DemoFile, DemoOrg } from './demo-org.ts';

/**
 * Generates a believable company's software catalog as Backstage descriptor
 * files. Without `scale`: the hand-shaped default organisation (about 60
 * services with their APIs, resources, docs, teams and people). With `scale`:
 * about `scale` entities in the same proportions, split into files of at most
 * 1000 entities. Output depends only on the options.
 */
export function generateDemoOrg(options: { seed?: number; scale?: number } = {}): DemoOrg {
  const seed = options.seed ?? 42;
  if (options.scale === undefined) return buildDefaultOrg({ seed });
  if (!Number.isFinite(options.scale) || options.scale < 1) throw new Error(`scale must be a positive number, got ${options.scale}`);
  return buildScaledOrg({ seed, scale: Math.round(options.scale) });
}
