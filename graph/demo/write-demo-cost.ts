import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { focusHeader, focusLine } from './focus-csv.ts';
import { generateDemoCost, type DemoCostTruth, type DemoUtilisation } from './generate-demo-cost.ts';

export type WrittenDemoCost = { focusFile: string; utilisation: DemoUtilisation[]; truth: DemoCostTruth };

/**
 * Writes the demo organisation's cost as a gzipped FOCUS file (`focus-demo.csv.gz`), with the utilisation
 * observations (`utilisation.json`) and the planted ground truth (`truth.json`) beside it.
 */
export async function writeDemoCost(directory: string, options: { seed?: number; end: string; days?: number }): Promise<WrittenDemoCost> {
  const cost = generateDemoCost(options);
  await mkdir(directory, { recursive: true });
  const focusFile = join(directory, 'focus-demo.csv.gz');
  const lines = (function* () {
    yield focusHeader();
    for (const row of cost.rows) yield focusLine(row);
  })();
  await pipeline(Readable.from(lines), createGzip(), createWriteStream(focusFile));
  await writeFile(join(directory, 'utilisation.json'), `${JSON.stringify(cost.utilisation, null, 1)}\n`);
  await writeFile(join(directory, 'truth.json'), `${JSON.stringify(cost.truth, null, 2)}\n`);
  return { focusFile, utilisation: cost.utilisation, truth: cost.truth };
}
