import { readFileSync } from 'node:fs'

/** Cloud Carbon Footprint's coefficients for one cloud (tools/cost/data, from CCF; see its NOTICE). */
export interface CloudCoefficients {
  minWattsPerVcpu: number
  maxWattsPerVcpu: number
  pue: number
  /** Metric tons CO2e per kWh, by normalised region id ("eu-west-1", "eastus", "europe-west1"). */
  gridFactors: Map<string, number>
  unknownRegionFactor: number
}

export interface CarbonCoefficients {
  ssdWhPerTbHour: number
  hddWhPerTbHour: number
  networkingKwhPerGb: number
  memoryKwhPerGbHour: number
  averageCpuUtilisation: number
  clouds: Record<'aws' | 'azure' | 'gcp', CloudCoefficients>
}

const DATA = new URL('../data/', import.meta.url)

/** "East US 2" and "eastus2" are the same region; so are "eu-west-1" and "EU-West-1". */
export function normaliseRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, '')
}

function gridFactors(file: string): Map<string, number> {
  const lines = readFileSync(new URL(file, DATA), 'utf8').trim().split(/\r?\n/)
  const header = lines[0]!.split(',')
  const factorColumn = header.findIndex((name) => name.startsWith('CO2e'))
  const factors = new Map<string, number>()
  for (const line of lines.slice(1)) {
    const cells = line.split(',')
    const text = cells[factorColumn] ?? ''
    // Two rows of the published Azure file have lost their "0." ("000077"); a value without a decimal point
    // is not a plausible factor, so such rows are left out rather than guessed.
    if (!/^\d*\.\d+$/.test(text)) continue
    factors.set(normaliseRegion(cells[0]!), Number(text))
  }
  return factors
}

function average(values: Iterable<number>): number {
  const list = [...values]
  return list.reduce((sum, value) => sum + value, 0) / list.length
}

let loaded: CarbonCoefficients | undefined

/** The coefficients, read once from the data files shipped with the project. */
export function carbonCoefficients(): CarbonCoefficients {
  if (loaded) return loaded
  const constants = JSON.parse(readFileSync(new URL('ccf-app-constants.json', DATA), 'utf8'))
  const aws = gridFactors('grid-emissions-factors-aws.csv')
  const azure = gridFactors('grid-emissions-factors-azure.csv')
  const gcp = gridFactors('grid-emissions-factors-gcp.csv')
  loaded = {
    ssdWhPerTbHour: constants.shared.SSD_Wh_per_TBh,
    hddWhPerTbHour: constants.shared.HDD_Wh_per_TBh,
    networkingKwhPerGb: constants.shared.NETWORKING_kWh_per_GB,
    memoryKwhPerGbHour: constants.shared.MEMORY_kWh_per_GBh,
    averageCpuUtilisation: constants.formula.fallback_avg_cpu_utilization_pct / 100,
    clouds: {
      aws: { minWattsPerVcpu: constants.aws.MIN_WATTS_AVG, maxWattsPerVcpu: constants.aws.MAX_WATTS_AVG, pue: constants.aws.PUE_AVG, gridFactors: aws, unknownRegionFactor: constants.aws.EMISSIONS_t_per_kWh_sample.unknown },
      azure: { minWattsPerVcpu: constants.azure.MIN_WATTS_AVG, maxWattsPerVcpu: constants.azure.MAX_WATTS_AVG, pue: constants.azure.PUE_AVG, gridFactors: azure, unknownRegionFactor: average(azure.values()) },
      gcp: { minWattsPerVcpu: constants.gcp.MIN_WATTS_MEDIAN, maxWattsPerVcpu: constants.gcp.MAX_WATTS_MEDIAN, pue: constants.gcp.PUE_AVG, gridFactors: gcp, unknownRegionFactor: constants.gcp.EMISSIONS_t_per_kWh_without_CFE_sample.unknown },
    },
  }
  return loaded
}

/** The cloud whose coefficients apply to a FOCUS provider name; other providers are estimated like AWS. */
export function cloudOf(providerName: string): 'aws' | 'azure' | 'gcp' {
  const name = providerName.toLowerCase()
  if (name.includes('microsoft') || name.includes('azure')) return 'azure'
  if (name.includes('google') || name === 'gcp') return 'gcp'
  return 'aws'
}

/** The region's grid factor (t CO2e per kWh), with the cloud's average for regions the tables lack. */
export function gridFactor(providerName: string, region: string | null): { factor: number; known: boolean } {
  const cloud = carbonCoefficients().clouds[cloudOf(providerName)]
  const factor = region ? cloud.gridFactors.get(normaliseRegion(region)) : undefined
  return factor === undefined ? { factor: cloud.unknownRegionFactor, known: false } : { factor, known: true }
}
