import type { YamlValue } from './to-yaml-document.ts';

/** One generated file, with a POSIX path relative to the catalog root. */
export type DemoFile = { path: string; content: string };

/** A generated catalog: its files and how many entities they describe. */
export type DemoOrg = { files: DemoFile[]; entityCount: number };

/** A Backstage catalog entity as a plain, YAML-ready object. */
export type CatalogEntity = {
  apiVersion: 'backstage.io/v1alpha1';
  kind: string;
  metadata: { name: string; [key: string]: YamlValue | undefined };
  spec?: { [key: string]: YamlValue | undefined };
  [key: string]: YamlValue | undefined;
};
