// Backstage's real catalog backend, nothing else: the test server that `portal migrate backstage` reads in
// tests and benchmarks. Run by start.sh from .cache/backstage-backend/ (its own node_modules), with the
// configuration in app-config.yaml (passed as --config) and the port in APP_CONFIG_backend_listen_port.
const { createBackend } = require('@backstage/backend-defaults')

const backend = createBackend()
backend.add(require('@backstage/plugin-catalog-backend'))
// Software Templates are a kind of their own; without this module Backstage's catalog rejects them.
backend.add(require('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'))
backend.start().catch((error) => {
  console.error(error)
  process.exit(1)
})
