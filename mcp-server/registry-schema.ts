import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server'

/**
 * A registry tool's JSON Schema in the Standard Schema shape the SDK takes. `tools/list` advertises the
 * schema the registry converted once; validation is left to `ToolRegistry.call`, which checks input before
 * `execute` and output after it and words its errors for the caller, so the SDK does not check twice.
 */
export function registrySchema(jsonSchema: Record<string, unknown>): StandardSchemaWithJSON<Record<string, unknown>> {
  return {
    '~standard': {
      version: 1,
      vendor: 'next-portal-tool-registry',
      validate: (value) => ({ value: (value ?? {}) as Record<string, unknown> }),
      jsonSchema: { input: () => jsonSchema, output: () => jsonSchema },
    },
  }
}
