const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Near the golden ratio of the modulus (so neighbouring indices land far apart) and coprime with 36. */
function multiplierFor(modulus: bigint): bigint {
  let multiplier = BigInt(Math.floor(Number(modulus) * 0.6180339887));
  while (multiplier % 2n === 0n || multiplier % 3n === 0n) multiplier += 1n;
  return multiplier;
}

/**
 * A deterministic, unique-per-index identifier such as a Slack user id
 * (`U0` + 7 characters) or a PagerDuty service id (`P` + 6 characters).
 * Distinct indices below 36^length always give distinct identifiers.
 */
export function stableIdentifier(options: { prefix: string; index: number; seed: number; length: number }): string {
  const modulus = 36n ** BigInt(options.length);
  const offset = (BigInt(options.seed >>> 0) * 2246822519n + 3266489917n) % modulus;
  // A multiplier coprime with the modulus makes index → value a bijection.
  let value = (BigInt(options.index) * multiplierFor(modulus) + offset) % modulus;
  let text = '';
  for (let position = 0; position < options.length; position++) {
    text = alphabet[Number(value % 36n)] + text;
    value /= 36n;
  }
  return options.prefix + text;
}
