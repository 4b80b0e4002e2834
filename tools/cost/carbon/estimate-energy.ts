import type { FocusCharge } from '../focus/parse-focus-row.ts'
import { carbonCoefficients, cloudOf } from './carbon-coefficients.ts'

const HOURS_PER_MONTH = 730

/** vCPUs of an instance size by its suffix: AWS-style names (m5.2xlarge), the convention most clouds follow. */
export function vcpusOfInstanceType(text: string): number | undefined {
  const match = /\b[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|(\d*)xlarge|metal)\b/i.exec(text)
  if (!match) return undefined
  const size = match[1]!.toLowerCase()
  if (size === 'nano' || size === 'micro' || size === 'small' || size === 'medium' || size === 'large') return size === 'large' ? 2 : 1
  if (size === 'metal') return 96
  return 4 * Number(match[2] || 1)
}

/**
 * Energy a charge used, by Cloud Carbon Footprint's method: compute from vCPU-hours at the cloud's average
 * watts (at 50% utilisation), storage from TB-hours (SSD or HDD), memory from GB-hours, networking from GB moved,
 * each times the cloud's PUE. Charges whose usage cannot be read (fees, requests) return undefined; they are
 * estimated from their cost later, as CCF does for AWS.
 */
export function estimateEnergyKwh(charge: Pick<FocusCharge, 'providerName' | 'serviceCategory' | 'serviceName' | 'consumedQuantity' | 'consumedUnit' | 'chargeDescription' | 'skuId' | 'resourceType' | 'chargeCategory'>): number | undefined {
  if (charge.chargeCategory !== 'Usage' || charge.consumedQuantity === null || !charge.consumedUnit) return undefined
  const quantity = Number(charge.consumedQuantity)
  if (!Number.isFinite(quantity) || quantity <= 0) return charge.chargeCategory === 'Usage' && quantity === 0 ? 0 : undefined
  const coefficients = carbonCoefficients()
  const cloud = coefficients.clouds[cloudOf(charge.providerName)]
  const unit = charge.consumedUnit.toLowerCase().replace(/[\s_]+/g, '-')
  const text = `${charge.chargeDescription ?? ''} ${charge.skuId ?? ''} ${charge.resourceType ?? ''}`
  const wattsPerVcpu = cloud.minWattsPerVcpu + coefficients.averageCpuUtilisation * (cloud.maxWattsPerVcpu - cloud.minWattsPerVcpu)
  if (/^vcpu-?hours?$/.test(unit)) return (wattsPerVcpu * quantity * cloud.pue) / 1000
  if (/^ocpu-?(per-)?hours?$/.test(unit)) return (wattsPerVcpu * quantity * 2 * cloud.pue) / 1000
  if (/^(hours?|hrs?)$/.test(unit) && (charge.serviceCategory === 'Compute' || charge.serviceCategory === 'Databases')) {
    const vcpus = vcpusOfInstanceType(text)
    return vcpus === undefined ? undefined : (wattsPerVcpu * vcpus * quantity * cloud.pue) / 1000
  }
  if (/^(gb|gib)(-|\/)?(months?|mo)$/.test(unit) || unit === 'gb-months') {
    const ssd = /ssd|gp2|gp3|io1|io2|premium|provisioned iops/i.test(text) || /elastic block store|ebs/i.test(charge.serviceName)
    const replication = /simple storage service|\bs3\b/i.test(charge.serviceName) ? 3 : ssd ? 2 : 1
    const tbHours = (quantity * HOURS_PER_MONTH) / 1000
    return (tbHours * (ssd ? coefficients.ssdWhPerTbHour : coefficients.hddWhPerTbHour) * cloud.pue * replication) / 1000
  }
  if (/^(gb|gib|gigabyte)-?(per-)?hours?$/.test(unit)) return quantity * coefficients.memoryKwhPerGbHour * cloud.pue
  if ((unit === 'gb' || unit === 'gib') && charge.serviceCategory === 'Networking') return quantity * coefficients.networkingKwhPerGb * cloud.pue
  return undefined
}
