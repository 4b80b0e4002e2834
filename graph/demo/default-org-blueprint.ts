/**
 * The hand-written shape of the default demo organisation ("Acme Retail"):
 * departments, teams, domains, systems and ~60 components with their APIs and
 * resources. People are generated from this by seed.
 *
 * Services are listed bottom-up: a service only consumes APIs of, and depends
 * on components listed before it, which keeps the dependency graph acyclic.
 */
export type ApiType = 'openapi' | 'grpc' | 'asyncapi';
export type Lifecycle = 'production' | 'experimental' | 'deprecated';

export type ApiBlueprint = {
  name: string;
  type: ApiType;
  description: string;
  /** openapi: "GET /path", grpc: "MethodName", asyncapi: "topic.event". */
  operations: string[];
};

export type ResourceBlueprint = {
  name: string;
  type: 'database' | 'cache' | 'queue' | 'bucket' | 'search-index' | 'message-broker' | 'data-warehouse';
  engine: string;
  description: string;
};

export type ServiceBlueprint = {
  name: string;
  system: string;
  type?: 'service' | 'website' | 'library';
  title: string;
  description: string;
  language: string;
  lifecycle?: Lifecycle;
  tier1?: boolean;
  aliases?: string[];
  tags?: string[];
  apis?: ApiBlueprint[];
  /** Names of APIs provided by services listed earlier. */
  consumes?: string[];
  /** Resources this service owns. */
  resources?: ResourceBlueprint[];
  /** Entity references (with kind) of earlier components or resources. */
  dependsOn?: string[];
};

export type DomainBlueprint = { name: string; title: string; description: string; owner: string };
export type SystemBlueprint = { name: string; title: string; description: string; domain: string; owner: string };
export type GroupBlueprint = { name: string; title: string; description: string; parent: string };

const organisationBlueprint = {
  name: 'acme',
  title: 'Acme Retail',
  description: 'Acme Retail, an online retailer selling home and lifestyle products in 14 countries.',
  emailDomain: 'acme.example.com',
};

const departmentBlueprints: GroupBlueprint[] = [
  { name: 'commerce-engineering', title: 'Commerce Engineering', description: 'Everything a customer touches while shopping: storefront, checkout, catalog and fulfilment.', parent: 'acme' },
  { name: 'payments-engineering', title: 'Payments Engineering', description: 'Money movement: payment processing, refunds, ledger, billing and invoicing.', parent: 'acme' },
  { name: 'discovery-engineering', title: 'Discovery Engineering', description: 'Helping customers find products: search, ranking and recommendations.', parent: 'acme' },
  { name: 'platform-engineering', title: 'Platform Engineering', description: 'Shared infrastructure, identity, messaging and data platform.', parent: 'acme' },
];

const teamBlueprints: GroupBlueprint[] = [
  { name: 'team-storefront', title: 'Storefront', description: 'Builds the web storefront, the mobile backend-for-frontend and the design system.', parent: 'commerce-engineering' },
  { name: 'team-checkout', title: 'Checkout', description: 'Owns cart, checkout, orders and promotions.', parent: 'commerce-engineering' },
  { name: 'team-catalog', title: 'Catalog', description: 'Owns product data, pricing, inventory and reviews.', parent: 'commerce-engineering' },
  { name: 'team-fulfillment', title: 'Fulfillment', description: 'Owns shipping, warehouses, carriers and returns.', parent: 'commerce-engineering' },
  { name: 'team-payments', title: 'Payments', description: 'Owns payment processing, fraud detection, refunds and the ledger.', parent: 'payments-engineering' },
  { name: 'team-billing', title: 'Billing', description: 'Owns billing, invoicing, subscriptions and tax calculation.', parent: 'payments-engineering' },
  { name: 'team-search', title: 'Search', description: 'Owns product search, indexing and autocomplete.', parent: 'discovery-engineering' },
  { name: 'team-recommendations', title: 'Recommendations', description: 'Owns recommendations, personalization, the feature store and experimentation.', parent: 'discovery-engineering' },
  { name: 'team-identity', title: 'Identity', description: 'Owns login, user accounts, sessions and permissions.', parent: 'platform-engineering' },
  { name: 'team-platform', title: 'Platform', description: 'Owns the API gateway, configuration, feature flags, notifications and the shared SDK.', parent: 'platform-engineering' },
  { name: 'team-data', title: 'Data', description: 'Owns event collection, the analytics pipeline and the data warehouse.', parent: 'platform-engineering' },
];

const domainBlueprints: DomainBlueprint[] = [
  { name: 'commerce', title: 'Commerce', description: 'The shopping journey from browsing to delivery.', owner: 'commerce-engineering' },
  { name: 'payments', title: 'Payments', description: 'Taking, moving and accounting for money.', owner: 'payments-engineering' },
  { name: 'search-discovery', title: 'Search & Discovery', description: 'Product search, ranking and recommendations.', owner: 'discovery-engineering' },
  { name: 'identity', title: 'Identity', description: 'Customer and staff identity, authentication and authorization.', owner: 'team-identity' },
  { name: 'platform', title: 'Platform', description: 'Shared infrastructure used by every product team.', owner: 'platform-engineering' },
];

const systemBlueprints: SystemBlueprint[] = [
  { name: 'storefront', title: 'Storefront', description: 'Customer-facing web and mobile experiences.', domain: 'commerce', owner: 'team-storefront' },
  { name: 'checkout', title: 'Checkout', description: 'Cart, checkout, orders and promotions.', domain: 'commerce', owner: 'team-checkout' },
  { name: 'product-catalog', title: 'Product Catalog', description: 'Product information, media, pricing, inventory and reviews.', domain: 'commerce', owner: 'team-catalog' },
  { name: 'fulfillment', title: 'Fulfillment', description: 'Warehousing, shipping, delivery tracking and returns.', domain: 'commerce', owner: 'team-fulfillment' },
  { name: 'payment-processing', title: 'Payment Processing', description: 'Authorizing and capturing payments, fraud checks, refunds and the ledger.', domain: 'payments', owner: 'team-payments' },
  { name: 'billing', title: 'Billing', description: 'Invoices, subscriptions and tax.', domain: 'payments', owner: 'team-billing' },
  { name: 'search', title: 'Search', description: 'Product search, indexing, query understanding and autocomplete.', domain: 'search-discovery', owner: 'team-search' },
  { name: 'recommendations', title: 'Recommendations', description: 'Personalized recommendations, the feature store and A/B testing.', domain: 'search-discovery', owner: 'team-recommendations' },
  { name: 'customer-identity', title: 'Customer Identity', description: 'Authentication, user accounts, sessions and permissions.', domain: 'identity', owner: 'team-identity' },
  { name: 'notifications', title: 'Notifications', description: 'Email, SMS and push notifications with user preferences.', domain: 'platform', owner: 'team-platform' },
  { name: 'api-platform', title: 'API Platform', description: 'API gateway, configuration, feature flags, rate limiting and the shared SDK.', domain: 'platform', owner: 'team-platform' },
  { name: 'data-platform', title: 'Data Platform', description: 'Clickstream collection, analytics ingestion, the data warehouse and reporting.', domain: 'platform', owner: 'team-data' },
];

const serviceBlueprints: ServiceBlueprint[] = [
  // --- Shared libraries and platform foundations -------------------------
  {
    name: 'platform-sdk', system: 'api-platform', type: 'library', title: 'Platform SDK', language: 'typescript',
    description: 'Shared TypeScript SDK for logging, tracing, configuration and health checks used by every Node.js service.',
    tags: ['sdk', 'observability'],
  },
  {
    name: 'design-system', system: 'storefront', type: 'library', title: 'Design System', language: 'typescript',
    description: 'React component library and design tokens shared by the storefront and the admin portal.',
    tags: ['react', 'ui'],
  },
  {
    name: 'identity-sdk', system: 'customer-identity', type: 'library', title: 'Identity SDK', language: 'typescript',
    description: 'Client library for verifying access tokens and checking permissions inside services.',
    tags: ['sdk', 'auth'], dependsOn: ['component:platform-sdk'],
  },
  {
    name: 'event-bus-operator', system: 'api-platform', title: 'Event Bus Operator', language: 'go',
    description: 'Kubernetes operator that provisions Kafka topics, ACLs and schemas for the shared event bus.',
    tags: ['kafka', 'kubernetes'],
    apis: [{ name: 'event-bus-admin-api', type: 'grpc', description: 'Topic and ACL provisioning for the event bus.', operations: ['CreateTopic', 'DescribeTopic', 'GrantAccess'] }],
    resources: [{ name: 'event-bus', type: 'message-broker', engine: 'kafka', description: 'Shared Kafka cluster carrying domain events between services.' }],
  },
  {
    name: 'config-service', system: 'api-platform', title: 'Config Service', language: 'go',
    description: 'Central runtime configuration store with per-environment overrides and change history.',
    apis: [{ name: 'config-api', type: 'grpc', description: 'Reads and watches runtime configuration values.', operations: ['GetConfig', 'WatchConfig', 'ListNamespaces'] }],
    resources: [{ name: 'config-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database storing configuration values and their history.' }],
    dependsOn: ['component:platform-sdk'],
  },
  {
    name: 'feature-flags-service', system: 'api-platform', title: 'Feature Flags Service', language: 'go', aliases: ['feature flags', 'flags', 'toggles'],
    description: 'Evaluates feature flags and gradual rollouts for backend services and clients.',
    apis: [{ name: 'feature-flags-api', type: 'openapi', description: 'Evaluate and manage feature flags.', operations: ['GET /flags', 'GET /flags/{flagKey}/evaluate', 'PUT /flags/{flagKey}'] }],
    consumes: ['config-api'],
    resources: [{ name: 'feature-flags-cache', type: 'cache', engine: 'redis', description: 'Redis cache holding compiled flag rules for fast evaluation.' }],
  },
  {
    name: 'rate-limiter', system: 'api-platform', title: 'Rate Limiter', language: 'rust',
    description: 'Distributed token-bucket rate limiting used by the API gateway and internal services.',
    apis: [{ name: 'rate-limiter-api', type: 'grpc', description: 'Checks and consumes rate-limit quotas.', operations: ['CheckQuota', 'ConsumeTokens'] }],
    consumes: ['config-api'],
    resources: [{ name: 'rate-limiter-cache', type: 'cache', engine: 'redis', description: 'Redis cluster holding token buckets.' }],
  },
  // --- Identity -----------------------------------------------------------
  {
    name: 'permissions-service', system: 'customer-identity', title: 'Permissions Service', language: 'go',
    description: 'Role- and relationship-based authorization decisions for customers and staff.',
    apis: [{ name: 'permissions-api', type: 'grpc', description: 'Authorization checks and role management.', operations: ['CheckPermission', 'ListRoles', 'AssignRole'] }],
    resources: [{ name: 'permissions-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of roles, grants and relationships.' }],
    dependsOn: ['component:platform-sdk'],
  },
  {
    name: 'user-service', system: 'customer-identity', title: 'User Service', language: 'java', tier1: true, aliases: ['users', 'accounts', 'customer profiles'],
    description: 'Customer accounts and profiles: registration, addresses, preferences and GDPR deletion.',
    apis: [
      { name: 'user-api', type: 'openapi', description: 'Create, read and update customer accounts and addresses.', operations: ['POST /users', 'GET /users/{userId}', 'PATCH /users/{userId}', 'GET /users/{userId}/addresses'] },
      { name: 'user-events', type: 'asyncapi', description: 'Events published when accounts are created, updated or deleted.', operations: ['user.created', 'user.updated', 'user.deleted'] },
    ],
    consumes: ['permissions-api'],
    resources: [{ name: 'users-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of customer accounts and addresses (contains PII).' }],
    dependsOn: ['resource:event-bus'],
    tags: ['pii', 'gdpr'],
  },
  {
    name: 'session-service', system: 'customer-identity', title: 'Session Service', language: 'go',
    description: 'Issues, refreshes and revokes customer sessions and refresh tokens.',
    apis: [{ name: 'session-api', type: 'grpc', description: 'Session lifecycle management.', operations: ['CreateSession', 'RefreshSession', 'RevokeSession'] }],
    resources: [{ name: 'session-cache', type: 'cache', engine: 'redis', description: 'Redis store of active sessions.' }],
  },
  {
    name: 'auth-service', system: 'customer-identity', title: 'Auth Service', language: 'go', tier1: true, aliases: ['auth', 'login', 'sso', 'oauth'],
    description: 'OAuth2/OIDC authorization server handling login, social sign-in, MFA and token issuance.',
    apis: [{ name: 'auth-api', type: 'openapi', description: 'OAuth2 and OpenID Connect endpoints.', operations: ['POST /oauth/token', 'GET /oauth/authorize', 'GET /userinfo', 'GET /.well-known/openid-configuration'] }],
    consumes: ['user-api', 'session-api', 'permissions-api'],
    resources: [{ name: 'auth-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of OAuth clients, consents and MFA enrolments.' }],
    dependsOn: ['component:identity-sdk'],
    tags: ['oauth', 'security'],
  },
  // --- Notifications ------------------------------------------------------
  {
    name: 'email-sender', system: 'notifications', title: 'Email Sender', language: 'python',
    description: 'Renders templated emails and delivers them through the email provider with bounce handling.',
    apis: [{ name: 'email-api', type: 'grpc', description: 'Send transactional emails from templates.', operations: ['SendEmail', 'GetDeliveryStatus'] }],
    resources: [{ name: 'email-queue', type: 'queue', engine: 'sqs', description: 'SQS queue buffering outgoing emails.' }],
  },
  {
    name: 'sms-gateway', system: 'notifications', title: 'SMS Gateway', language: 'java', lifecycle: 'deprecated',
    description: 'Legacy SMS delivery through a single provider. Being replaced by the multi-provider flow in notification-service.',
    apis: [{ name: 'sms-api', type: 'grpc', description: 'Send SMS messages.', operations: ['SendSms', 'GetSmsStatus'] }],
    tags: ['legacy'],
  },
  {
    name: 'push-notification-service', system: 'notifications', title: 'Push Notification Service', language: 'kotlin', lifecycle: 'experimental',
    description: 'Delivers mobile push notifications through APNs and FCM.',
    apis: [{ name: 'push-api', type: 'grpc', description: 'Send push notifications to registered devices.', operations: ['RegisterDevice', 'SendPush'] }],
    resources: [{ name: 'push-devices-db', type: 'database', engine: 'dynamodb', description: 'DynamoDB table of registered device tokens.' }],
  },
  {
    name: 'notification-preferences-service', system: 'notifications', title: 'Notification Preferences Service', language: 'typescript',
    description: 'Stores which channels and topics each customer has opted in to.',
    apis: [{ name: 'notification-preferences-api', type: 'openapi', description: 'Read and update notification preferences.', operations: ['GET /preferences/{userId}', 'PUT /preferences/{userId}'] }],
    consumes: ['user-api'],
    resources: [{ name: 'notification-preferences-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of opt-ins per customer and channel.' }],
    dependsOn: ['component:platform-sdk'],
  },
  {
    name: 'notification-service', system: 'notifications', title: 'Notification Service', language: 'typescript', tier1: true, aliases: ['notifications', 'notify', 'messaging'],
    description: 'Single entry point for sending customer notifications; routes to email, SMS or push based on preferences.',
    apis: [{ name: 'notification-api', type: 'openapi', description: 'Send notifications to customers across channels.', operations: ['POST /notifications', 'GET /notifications/{notificationId}'] }],
    consumes: ['email-api', 'sms-api', 'push-api', 'notification-preferences-api', 'user-events'],
    resources: [{ name: 'notification-queue', type: 'queue', engine: 'sqs', description: 'SQS queue of pending notifications with a dead-letter queue.' }],
    dependsOn: ['component:platform-sdk', 'resource:event-bus'],
  },
  // --- Data platform (collection) -----------------------------------------
  {
    name: 'clickstream-collector', system: 'data-platform', title: 'Clickstream Collector', language: 'go',
    description: 'High-throughput collector for browser and app interaction events.',
    apis: [
      { name: 'clickstream-api', type: 'openapi', description: 'Ingest batches of client-side events.', operations: ['POST /events', 'POST /events/batch'] },
      { name: 'clickstream-events', type: 'asyncapi', description: 'Validated clickstream events for downstream consumers.', operations: ['clickstream.page-viewed', 'clickstream.product-clicked', 'clickstream.added-to-cart'] },
    ],
    resources: [{ name: 'clickstream-bucket', type: 'bucket', engine: 's3', description: 'S3 bucket with raw clickstream events, partitioned by hour.' }],
    dependsOn: ['resource:event-bus'],
  },
  // --- Recommendations (foundations) --------------------------------------
  {
    name: 'feature-store', system: 'recommendations', title: 'Feature Store', language: 'python',
    description: 'Online and offline store of machine-learning features computed from clickstream and orders.',
    apis: [{ name: 'feature-store-api', type: 'grpc', description: 'Online feature lookups for models.', operations: ['GetFeatures', 'BatchGetFeatures'] }],
    consumes: ['clickstream-events'],
    resources: [{ name: 'feature-store-db', type: 'database', engine: 'cassandra', description: 'Cassandra cluster serving online features.' }],
    tags: ['machine-learning'],
  },
  {
    name: 'ab-testing-service', system: 'recommendations', title: 'A/B Testing Service', language: 'python', aliases: ['experiments', 'ab tests'],
    description: 'Assigns users to experiment variants and computes experiment results.',
    apis: [{ name: 'experiments-api', type: 'openapi', description: 'Experiment definitions and variant assignment.', operations: ['GET /experiments', 'GET /experiments/{experimentId}/assignment', 'POST /experiments'] }],
    consumes: ['feature-flags-api'],
    resources: [{ name: 'experiments-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of experiments and assignments.' }],
  },
  // --- Product catalog ------------------------------------------------------
  {
    name: 'product-media-service', system: 'product-catalog', title: 'Product Media Service', language: 'go',
    description: 'Stores product images and videos and generates renditions.',
    apis: [{ name: 'product-media-api', type: 'openapi', description: 'Upload and fetch product media.', operations: ['POST /media', 'GET /media/{mediaId}', 'GET /products/{productId}/media'] }],
    resources: [{ name: 'product-images-bucket', type: 'bucket', engine: 's3', description: 'S3 bucket holding original product images.' }],
  },
  {
    name: 'image-proxy', system: 'storefront', title: 'Image Proxy', language: 'rust',
    description: 'On-the-fly image resizing and format conversion behind the CDN.',
    apis: [{ name: 'image-proxy-api', type: 'openapi', description: 'Resized image delivery.', operations: ['GET /images/{mediaId}'] }],
    consumes: ['product-media-api'],
    resources: [{ name: 'image-cache', type: 'cache', engine: 'redis', description: 'Redis cache of recently generated renditions.' }],
  },
  {
    name: 'product-catalog-service', system: 'product-catalog', title: 'Product Catalog Service', language: 'java', tier1: true, aliases: ['products', 'pim', 'product information'],
    description: 'Source of truth for products, variants, categories and attributes.',
    apis: [
      { name: 'product-catalog-api', type: 'openapi', description: 'Read and manage products, variants and categories.', operations: ['GET /products', 'GET /products/{productId}', 'GET /categories', 'PUT /products/{productId}'] },
      { name: 'product-events', type: 'asyncapi', description: 'Product lifecycle events.', operations: ['product.created', 'product.updated', 'product.discontinued'] },
    ],
    consumes: ['product-media-api'],
    resources: [{ name: 'product-catalog-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of products, variants and categories.' }],
    dependsOn: ['resource:event-bus'],
  },
  {
    name: 'product-import-worker', system: 'product-catalog', title: 'Product Import Worker', language: 'python',
    description: 'Imports supplier product feeds (CSV, XML) into the product catalog.',
    apis: [{ name: 'product-import-api', type: 'openapi', description: 'Submit and track product import jobs.', operations: ['POST /imports', 'GET /imports/{importId}'] }],
    consumes: ['product-catalog-api'],
    resources: [{ name: 'product-import-bucket', type: 'bucket', engine: 's3', description: 'S3 bucket where supplier feeds are dropped.' }],
  },
  {
    name: 'inventory-service', system: 'product-catalog', title: 'Inventory Service', language: 'go', tier1: true, aliases: ['inventory', 'stock', 'availability'],
    description: 'Real-time stock levels per warehouse, reservations and availability.',
    apis: [
      { name: 'inventory-api', type: 'grpc', description: 'Stock lookup and reservation.', operations: ['GetAvailability', 'ReserveStock', 'ReleaseReservation'] },
      { name: 'inventory-events', type: 'asyncapi', description: 'Stock level changes.', operations: ['inventory.stock-changed', 'inventory.out-of-stock'] },
    ],
    consumes: ['product-catalog-api'],
    resources: [{ name: 'inventory-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of stock levels and reservations.' }],
    dependsOn: ['resource:event-bus'],
  },
  // --- Billing (tax) ----------------------------------------------------
  {
    name: 'tax-service', system: 'billing', title: 'Tax Service', language: 'java',
    description: 'Calculates VAT and sales tax per jurisdiction using the tax provider.',
    apis: [{ name: 'tax-api', type: 'grpc', description: 'Tax calculation for baskets and invoices.', operations: ['CalculateTax', 'GetTaxRates'] }],
    resources: [{ name: 'tax-rates-cache', type: 'cache', engine: 'redis', description: 'Redis cache of tax rates per jurisdiction.' }],
  },
  {
    name: 'pricing-service', system: 'product-catalog', title: 'Pricing Service', language: 'kotlin', tier1: true, aliases: ['prices', 'pricing'],
    description: 'Computes sell prices per market, currency and customer segment.',
    apis: [{ name: 'pricing-api', type: 'grpc', description: 'Price lookup for products and baskets.', operations: ['GetPrice', 'BatchGetPrices', 'QuoteBasket'] }],
    consumes: ['product-catalog-api', 'tax-api'],
    resources: [
      { name: 'pricing-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of price lists and rules.' },
      { name: 'pricing-cache', type: 'cache', engine: 'redis', description: 'Redis cache of computed prices.' },
    ],
  },
  {
    name: 'reviews-service', system: 'product-catalog', title: 'Reviews Service', language: 'typescript',
    description: 'Customer ratings and reviews with moderation.',
    apis: [{ name: 'reviews-api', type: 'openapi', description: 'Submit, moderate and read product reviews.', operations: ['GET /products/{productId}/reviews', 'POST /products/{productId}/reviews'] }],
    consumes: ['user-api', 'product-catalog-api'],
    resources: [{ name: 'reviews-db', type: 'database', engine: 'mongodb', description: 'MongoDB database of reviews and moderation state.' }],
    dependsOn: ['component:platform-sdk'],
  },
  // --- Search ---------------------------------------------------------------
  {
    name: 'query-understanding-service', system: 'search', title: 'Query Understanding Service', language: 'python', lifecycle: 'experimental',
    description: 'Spelling correction, synonyms and intent classification for search queries.',
    apis: [{ name: 'query-understanding-api', type: 'grpc', description: 'Query rewriting and classification.', operations: ['RewriteQuery', 'ClassifyIntent'] }],
    tags: ['machine-learning', 'nlp'],
  },
  {
    name: 'search-indexer', system: 'search', title: 'Search Indexer', language: 'java', aliases: ['indexer', 'indexing'],
    description: 'Builds and updates the product search index from product, price, stock and review changes.',
    apis: [{ name: 'search-indexer-api', type: 'grpc', description: 'Admin API to trigger and monitor reindexing.', operations: ['Reindex', 'GetIndexStatus'] }],
    consumes: ['product-events', 'inventory-events', 'pricing-api', 'reviews-api'],
    resources: [
      { name: 'product-search-index', type: 'search-index', engine: 'elasticsearch', description: 'Elasticsearch cluster holding the product search index.' },
      { name: 'search-indexing-queue', type: 'queue', engine: 'sqs', description: 'SQS queue of documents waiting to be (re)indexed.' },
    ],
    dependsOn: ['resource:event-bus'],
  },
  {
    name: 'search-service', system: 'search', title: 'Search Service', language: 'java', tier1: true, aliases: ['search', 'product search', 'find'],
    description: 'Product search with filters, facets and ranking.',
    apis: [{ name: 'search-api', type: 'openapi', description: 'Search products with facets and sorting.', operations: ['GET /search', 'GET /search/facets'] }],
    consumes: ['query-understanding-api'],
    resources: [{ name: 'search-cache', type: 'cache', engine: 'redis', description: 'Redis cache of popular search results.' }],
    dependsOn: ['resource:product-search-index'],
  },
  {
    name: 'autocomplete-service', system: 'search', title: 'Autocomplete Service', language: 'go',
    description: 'Type-ahead suggestions for products, categories and brands.',
    apis: [{ name: 'autocomplete-api', type: 'openapi', description: 'Query suggestions.', operations: ['GET /suggest'] }],
    consumes: ['query-understanding-api'],
    resources: [{ name: 'autocomplete-cache', type: 'cache', engine: 'redis', description: 'Redis cache of suggestion prefixes.' }],
    dependsOn: ['resource:product-search-index'],
  },
  // --- Recommendations ------------------------------------------------------
  {
    name: 'personalization-service', system: 'recommendations', title: 'Personalization Service', language: 'python',
    description: 'Per-customer affinity scores used to personalize ranking and content.',
    apis: [{ name: 'personalization-api', type: 'grpc', description: 'Customer affinity lookups.', operations: ['GetAffinities', 'ScoreItems'] }],
    consumes: ['feature-store-api', 'user-api'],
    tags: ['machine-learning'],
  },
  {
    name: 'recommendation-service', system: 'recommendations', title: 'Recommendation Service', language: 'python', tier1: true, aliases: ['recs', 'recommendations', 'you may also like'],
    description: 'Product recommendations for home page, product pages and basket ("you may also like").',
    apis: [{ name: 'recommendation-api', type: 'openapi', description: 'Recommendations by placement.', operations: ['GET /recommendations', 'GET /products/{productId}/similar'] }],
    consumes: ['personalization-api', 'product-catalog-api', 'experiments-api', 'feature-store-api'],
    resources: [{ name: 'recommendations-cache', type: 'cache', engine: 'redis', description: 'Redis cache of precomputed recommendations.' }],
    tags: ['machine-learning'],
  },
  // --- Payment processing -------------------------------------------------
  {
    name: 'fraud-detection-service', system: 'payment-processing', title: 'Fraud Detection Service', language: 'python', aliases: ['fraud', 'risk'],
    description: 'Scores payments and account actions for fraud risk in real time.',
    apis: [{ name: 'fraud-api', type: 'grpc', description: 'Risk scoring for payments and sign-ups.', operations: ['ScorePayment', 'ScoreSignup', 'ReportFraud'] }],
    consumes: ['user-api', 'feature-store-api'],
    resources: [{ name: 'fraud-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of risk decisions and rules.' }],
    tags: ['machine-learning', 'pci'],
  },
  {
    name: 'payment-gateway-adapter', system: 'payment-processing', title: 'Payment Gateway Adapter', language: 'java',
    description: 'Adapter over external payment service providers (cards, wallets, bank transfers).',
    apis: [{ name: 'payment-gateway-api', type: 'grpc', description: 'Provider-neutral authorize, capture and refund.', operations: ['Authorize', 'Capture', 'Refund', 'Void'] }],
    tags: ['pci'],
  },
  {
    name: 'payment-methods-service', system: 'payment-processing', title: 'Payment Methods Service', language: 'java',
    description: 'Stores tokenized cards and wallets for returning customers.',
    apis: [{ name: 'payment-methods-api', type: 'openapi', description: 'Manage saved payment methods.', operations: ['GET /customers/{customerId}/payment-methods', 'POST /customers/{customerId}/payment-methods', 'DELETE /payment-methods/{paymentMethodId}'] }],
    consumes: ['payment-gateway-api'],
    resources: [{ name: 'payment-methods-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of payment method tokens (PCI scope).' }],
    tags: ['pci'],
  },
  {
    name: 'ledger-service', system: 'payment-processing', title: 'Ledger Service', language: 'kotlin', tier1: true, aliases: ['ledger', 'accounting'],
    description: 'Double-entry ledger recording every money movement.',
    apis: [{ name: 'ledger-api', type: 'grpc', description: 'Post and query ledger entries.', operations: ['PostEntries', 'GetBalance', 'ListEntries'] }],
    resources: [{ name: 'ledger-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of immutable ledger entries.' }],
  },
  {
    name: 'payments-api', system: 'payment-processing', title: 'Payments API', language: 'java', tier1: true, aliases: ['payments', 'pay', 'payment service'],
    description: 'Orchestrates payment authorization, capture and status for orders.',
    apis: [
      { name: 'payments-rest-api', type: 'openapi', description: 'Create and track payments.', operations: ['POST /payments', 'GET /payments/{paymentId}', 'POST /payments/{paymentId}/capture'] },
      { name: 'payment-events', type: 'asyncapi', description: 'Payment state changes.', operations: ['payment.authorized', 'payment.captured', 'payment.failed'] },
    ],
    consumes: ['fraud-api', 'payment-gateway-api', 'payment-methods-api', 'ledger-api'],
    resources: [
      { name: 'payments-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of payments and their state transitions.' },
      { name: 'payment-webhooks-queue', type: 'queue', engine: 'sqs', description: 'SQS queue of incoming payment provider webhooks.' },
    ],
    dependsOn: ['resource:event-bus'],
    tags: ['pci'],
  },
  {
    name: 'refund-service', system: 'payment-processing', title: 'Refund Service', language: 'java',
    description: 'Processes full and partial refunds and posts them to the ledger.',
    apis: [{ name: 'refunds-api', type: 'openapi', description: 'Request and track refunds.', operations: ['POST /refunds', 'GET /refunds/{refundId}'] }],
    consumes: ['payments-rest-api', 'ledger-api', 'payment-gateway-api'],
    resources: [{ name: 'refunds-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of refund requests.' }],
  },
  // --- Billing ----------------------------------------------------------------
  {
    name: 'subscription-service', system: 'billing', title: 'Subscription Service', language: 'kotlin', lifecycle: 'experimental',
    description: 'Recurring deliveries and the Acme Plus membership.',
    apis: [{ name: 'subscriptions-api', type: 'openapi', description: 'Manage subscriptions and memberships.', operations: ['POST /subscriptions', 'GET /subscriptions/{subscriptionId}', 'POST /subscriptions/{subscriptionId}/cancel'] }],
    consumes: ['payments-rest-api'],
    resources: [{ name: 'subscriptions-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of subscriptions and renewal schedules.' }],
  },
  {
    name: 'invoice-service', system: 'billing', title: 'Invoice Service', language: 'java',
    description: 'Generates legally compliant invoices and credit notes as PDF.',
    apis: [{ name: 'invoices-api', type: 'openapi', description: 'Create and download invoices.', operations: ['POST /invoices', 'GET /invoices/{invoiceId}', 'GET /invoices/{invoiceId}/pdf'] }],
    consumes: ['tax-api', 'ledger-api'],
    resources: [
      { name: 'invoices-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of invoices and credit notes.' },
      { name: 'invoices-bucket', type: 'bucket', engine: 's3', description: 'S3 bucket archiving invoice PDFs for 10 years.' },
    ],
  },
  {
    name: 'billing-service', system: 'billing', title: 'Billing Service', language: 'java', aliases: ['billing'],
    description: 'Billing runs for marketplace sellers and subscriptions.',
    apis: [{ name: 'billing-api', type: 'openapi', description: 'Billing accounts and billing runs.', operations: ['GET /billing-accounts/{accountId}', 'POST /billing-runs'] }],
    consumes: ['invoices-api', 'subscriptions-api', 'payments-rest-api', 'tax-api'],
    resources: [{ name: 'billing-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of billing accounts and runs.' }],
  },
  // --- Checkout -------------------------------------------------------------
  {
    name: 'promotions-service', system: 'checkout', title: 'Promotions Service', language: 'kotlin', aliases: ['promotions', 'discounts', 'vouchers', 'coupons'],
    description: 'Discount rules, voucher codes and campaign eligibility.',
    apis: [{ name: 'promotions-api', type: 'grpc', description: 'Evaluate promotions for a basket.', operations: ['ApplyPromotions', 'ValidateVoucher'] }],
    consumes: ['pricing-api', 'product-catalog-api'],
    resources: [{ name: 'promotions-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of campaigns and voucher codes.' }],
  },
  {
    name: 'gift-card-service', system: 'checkout', title: 'Gift Card Service', language: 'kotlin', lifecycle: 'experimental', aliases: ['gift cards'],
    description: 'Issues and redeems digital gift cards.',
    apis: [{ name: 'gift-cards-api', type: 'openapi', description: 'Issue, check and redeem gift cards.', operations: ['POST /gift-cards', 'GET /gift-cards/{code}/balance', 'POST /gift-cards/{code}/redeem'] }],
    consumes: ['ledger-api'],
    resources: [{ name: 'gift-cards-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of gift cards and balances.' }],
  },
  {
    name: 'cart-service', system: 'checkout', title: 'Cart Service', language: 'go', tier1: true, aliases: ['cart', 'basket', 'shopping cart'],
    description: 'Shopping carts for signed-in and guest customers, with live prices and stock checks.',
    apis: [{ name: 'cart-api', type: 'openapi', description: 'Create carts and manage line items.', operations: ['POST /carts', 'GET /carts/{cartId}', 'POST /carts/{cartId}/items', 'DELETE /carts/{cartId}/items/{itemId}'] }],
    consumes: ['pricing-api', 'inventory-api', 'promotions-api', 'product-catalog-api'],
    resources: [
      { name: 'cart-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of persisted carts.' },
      { name: 'cart-cache', type: 'cache', engine: 'redis', description: 'Redis cache of active carts.' },
    ],
  },
  {
    name: 'legacy-cart-api', system: 'checkout', title: 'Legacy Cart API', language: 'java', lifecycle: 'deprecated',
    description: 'The v1 cart endpoint from the old monolith, still used by mobile app versions before 5.0. Replaced by cart-service.',
    apis: [{ name: 'legacy-cart-rest-api', type: 'openapi', description: 'Deprecated v1 cart endpoints.', operations: ['GET /v1/basket', 'POST /v1/basket/add'] }],
    consumes: ['pricing-api'],
    resources: [{ name: 'legacy-cart-db', type: 'database', engine: 'mysql', description: 'MySQL database from the old monolith.' }],
    tags: ['legacy'],
  },
  // --- Fulfillment -----------------------------------------------------------
  {
    name: 'carrier-gateway', system: 'fulfillment', title: 'Carrier Gateway', language: 'java',
    description: 'Integrations with parcel carriers for labels, rates and tracking.',
    apis: [{ name: 'carrier-api', type: 'grpc', description: 'Carrier-neutral labels, rates and tracking.', operations: ['GetRates', 'CreateLabel', 'GetTracking'] }],
  },
  {
    name: 'warehouse-service', system: 'fulfillment', title: 'Warehouse Service', language: 'java', aliases: ['warehouse', 'wms'],
    description: 'Pick, pack and dispatch workflows for our three fulfilment centres.',
    apis: [{ name: 'warehouse-api', type: 'grpc', description: 'Fulfilment orders and warehouse tasks.', operations: ['CreateFulfilmentOrder', 'GetFulfilmentStatus'] }],
    consumes: ['inventory-api'],
    resources: [
      { name: 'warehouse-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of fulfilment orders and tasks.' },
      { name: 'pick-list-queue', type: 'queue', engine: 'rabbitmq', description: 'RabbitMQ queue feeding pick lists to warehouse handhelds.' },
    ],
  },
  {
    name: 'shipping-service', system: 'fulfillment', title: 'Shipping Service', language: 'go', tier1: true, aliases: ['shipping', 'delivery', 'shipments'],
    description: 'Delivery options, shipping quotes and shipment creation.',
    apis: [
      { name: 'shipping-api', type: 'openapi', description: 'Delivery options and shipments.', operations: ['GET /delivery-options', 'POST /shipments', 'GET /shipments/{shipmentId}'] },
      { name: 'shipment-events', type: 'asyncapi', description: 'Shipment lifecycle events.', operations: ['shipment.created', 'shipment.dispatched', 'shipment.delivered'] },
    ],
    consumes: ['carrier-api', 'warehouse-api'],
    resources: [{ name: 'shipping-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of shipments.' }],
    dependsOn: ['resource:event-bus'],
  },
  {
    name: 'delivery-tracking-service', system: 'fulfillment', title: 'Delivery Tracking Service', language: 'typescript', aliases: ['tracking', 'track my order'],
    description: 'Aggregated, customer-facing delivery tracking.',
    apis: [{ name: 'tracking-api', type: 'openapi', description: 'Tracking status for shipments.', operations: ['GET /tracking/{trackingNumber}'] }],
    consumes: ['shipment-events', 'carrier-api'],
    resources: [{ name: 'tracking-cache', type: 'cache', engine: 'redis', description: 'Redis cache of latest tracking states.' }],
  },
  // --- Orders and checkout --------------------------------------------------
  {
    name: 'order-service', system: 'checkout', title: 'Order Service', language: 'java', tier1: true, aliases: ['orders', 'order management', 'oms'],
    description: 'Order lifecycle from placement to completion, cancellation and history.',
    apis: [
      { name: 'orders-api', type: 'openapi', description: 'Place, read and cancel orders.', operations: ['POST /orders', 'GET /orders/{orderId}', 'POST /orders/{orderId}/cancel', 'GET /customers/{customerId}/orders'] },
      { name: 'order-events', type: 'asyncapi', description: 'Order lifecycle events.', operations: ['order.placed', 'order.cancelled', 'order.completed'] },
    ],
    consumes: ['inventory-api', 'payments-rest-api', 'shipping-api', 'promotions-api', 'user-api', 'notification-api'],
    resources: [{ name: 'orders-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of orders and order lines.' }],
    dependsOn: ['resource:event-bus', 'component:platform-sdk'],
  },
  {
    name: 'loyalty-service', system: 'checkout', title: 'Loyalty Service', language: 'kotlin', lifecycle: 'experimental', aliases: ['loyalty', 'points', 'rewards'],
    description: 'Acme Rewards points: earning on orders and burning at checkout.',
    apis: [{ name: 'loyalty-api', type: 'grpc', description: 'Points balance, earning and redemption.', operations: ['GetBalance', 'RedeemPoints'] }],
    consumes: ['order-events', 'user-api'],
    resources: [{ name: 'loyalty-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of points transactions.' }],
  },
  {
    name: 'returns-service', system: 'fulfillment', title: 'Returns Service', language: 'typescript', aliases: ['returns', 'rma'],
    description: 'Customer returns: eligibility, return labels and refund triggers.',
    apis: [{ name: 'returns-api', type: 'openapi', description: 'Create and track returns.', operations: ['POST /returns', 'GET /returns/{returnId}'] }],
    consumes: ['orders-api', 'refunds-api', 'shipping-api'],
    resources: [{ name: 'returns-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of return requests.' }],
  },
  {
    name: 'checkout-api', system: 'checkout', title: 'Checkout API', language: 'go', tier1: true, aliases: ['checkout'],
    description: 'Orchestrates checkout: validates the cart, prices it, takes payment and places the order.',
    apis: [{ name: 'checkout-rest-api', type: 'openapi', description: 'Start and complete a checkout.', operations: ['POST /checkouts', 'GET /checkouts/{checkoutId}', 'POST /checkouts/{checkoutId}/complete'] }],
    consumes: ['cart-api', 'pricing-api', 'payments-rest-api', 'orders-api', 'auth-api', 'gift-cards-api', 'tax-api', 'shipping-api', 'loyalty-api'],
    resources: [{ name: 'checkout-sessions-cache', type: 'cache', engine: 'redis', description: 'Redis cache of in-progress checkouts.' }],
    dependsOn: ['component:identity-sdk'],
  },
  // --- Data platform (downstream) -------------------------------------------
  {
    name: 'analytics-ingest', system: 'data-platform', title: 'Analytics Ingest', language: 'python',
    description: 'Streams domain events into the data warehouse.',
    apis: [{ name: 'analytics-ingest-api', type: 'openapi', description: 'Register event streams and check ingestion lag.', operations: ['GET /streams', 'GET /streams/{streamId}/lag'] }],
    consumes: ['order-events', 'payment-events', 'clickstream-events', 'user-events', 'shipment-events'],
    resources: [
      { name: 'data-warehouse', type: 'data-warehouse', engine: 'snowflake', description: 'Snowflake data warehouse for analytics and reporting.' },
      { name: 'analytics-bucket', type: 'bucket', engine: 's3', description: 'S3 data lake bucket with raw event history.' },
    ],
  },
  {
    name: 'reporting-service', system: 'data-platform', title: 'Reporting Service', language: 'python',
    description: 'Scheduled business reports (sales, returns, stock) for finance and operations.',
    apis: [{ name: 'reporting-api', type: 'openapi', description: 'List and download reports.', operations: ['GET /reports', 'GET /reports/{reportId}/download'] }],
    consumes: ['analytics-ingest-api'],
    dependsOn: ['resource:data-warehouse'],
  },
  // --- Edge and experiences -------------------------------------------------
  {
    name: 'api-gateway', system: 'api-platform', title: 'API Gateway', language: 'go', tier1: true, aliases: ['gateway', 'edge'],
    description: 'Public edge for all web and mobile traffic: routing, authentication and rate limiting.',
    apis: [{ name: 'gateway-admin-api', type: 'openapi', description: 'Route management for the gateway.', operations: ['GET /routes', 'PUT /routes/{routeId}'] }],
    consumes: ['auth-api', 'rate-limiter-api', 'checkout-rest-api', 'cart-api', 'search-api', 'recommendation-api', 'orders-api', 'user-api'],
  },
  {
    name: 'storefront-cms', system: 'storefront', title: 'Storefront CMS', language: 'typescript', aliases: ['cms', 'content'],
    description: 'Headless CMS for landing pages, banners and editorial content.',
    apis: [{ name: 'content-api', type: 'openapi', description: 'Published pages and content blocks.', operations: ['GET /pages/{slug}', 'GET /banners'] }],
    resources: [
      { name: 'cms-db', type: 'database', engine: 'postgres', description: 'PostgreSQL database of content entries.' },
      { name: 'cms-assets-bucket', type: 'bucket', engine: 's3', description: 'S3 bucket of editorial images.' },
    ],
  },
  {
    name: 'mobile-bff', system: 'storefront', title: 'Mobile BFF', language: 'typescript', tier1: true, aliases: ['bff', 'mobile backend'],
    description: 'Backend-for-frontend aggregating APIs for the iOS and Android apps.',
    apis: [{ name: 'mobile-bff-api', type: 'openapi', description: 'Screen-oriented endpoints for the mobile apps.', operations: ['GET /home', 'GET /product/{productId}', 'GET /basket', 'GET /orders'] }],
    consumes: ['checkout-rest-api', 'cart-api', 'legacy-cart-rest-api', 'search-api', 'autocomplete-api', 'recommendation-api', 'auth-api', 'tracking-api', 'content-api'],
    dependsOn: ['component:platform-sdk'],
  },
  {
    name: 'web-storefront', system: 'storefront', type: 'website', title: 'Web Storefront', language: 'typescript', tier1: true, aliases: ['storefront', 'website', 'shop', 'www'],
    description: 'The acme.example.com shop: server-rendered Next.js site for browsing and buying.',
    consumes: ['checkout-rest-api', 'cart-api', 'search-api', 'autocomplete-api', 'recommendation-api', 'content-api', 'auth-api', 'reviews-api', 'image-proxy-api'],
    dependsOn: ['component:design-system'],
    tags: ['nextjs', 'react'],
  },
  {
    name: 'admin-portal', system: 'storefront', type: 'website', title: 'Admin Portal', language: 'typescript', aliases: ['back office', 'admin'],
    description: 'Internal back-office for customer service and merchandising staff.',
    consumes: ['product-catalog-api', 'orders-api', 'refunds-api', 'returns-api', 'reporting-api', 'feature-flags-api', 'user-api'],
    dependsOn: ['component:design-system', 'component:identity-sdk'],
    tags: ['react', 'internal'],
  },
];

export const defaultOrgBlueprint = {
  organisation: organisationBlueprint,
  departments: departmentBlueprints,
  teams: teamBlueprints,
  domains: domainBlueprints,
  systems: systemBlueprints,
  services: serviceBlueprints,
};
