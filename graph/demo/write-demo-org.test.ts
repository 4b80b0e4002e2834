import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoOrg } from './generate-demo-org.ts';
import { writeDemoOrg } from './write-demo-org.ts';

describe('writeDemoOrg', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('writes every generated file, creating subdirectories', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'demo-org-'));
    directories.push(directory);
    const result = await writeDemoOrg(join(directory, 'catalog'), { seed: 5 });
    const org = generateDemoOrg({ seed: 5 });
    expect(result).toEqual({ files: org.files.length, entities: org.entityCount });
    for (const file of org.files) expect(await readFile(join(directory, 'catalog', file.path), 'utf8')).toBe(file.content);
  });
});
