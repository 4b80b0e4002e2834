import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateDemoOrg } from './generate-demo-org.ts';

/**
 * Generates the demo organisation and writes its files under `directory`
 * (created if missing). Register `<directory>/catalog-info.yaml` to load it.
 */
export async function writeDemoOrg(
  directory: string,
  options: { seed?: number; scale?: number } = {},
): Promise<{ files: number; entities: number }> {
  const org = generateDemoOrg(options);
  const directories = new Set(org.files.map(file => dirname(join(directory, file.path))));
  for (const path of directories) await mkdir(path, { recursive: true });
  // A few writes at a time: fast, without opening hundreds of files at once.
  const concurrency = 16;
  for (let start = 0; start < org.files.length; start += concurrency) {
    await Promise.all(org.files.slice(start, start + concurrency).map(file => writeFile(join(directory, file.path), file.content)));
  }
  return { files: org.files.length, entities: org.entityCount };
}
