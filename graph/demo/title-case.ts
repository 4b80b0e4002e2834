const specialWords: Record<string, string> = {
  api: 'API', apis: 'APIs', rest: 'REST', grpc: 'gRPC', sdk: 'SDK', bff: 'BFF', cms: 'CMS', db: 'DB', ab: 'A/B', sms: 'SMS', ui: 'UI', id: 'ID',
};

/** "payments-rest-api" → "Payments REST API". */
export function titleCase(name: string): string {
  return name
    .split('-')
    .filter(word => word.length > 0)
    .map(word => specialWords[word] ?? word[0].toUpperCase() + word.slice(1))
    .join(' ');
}
