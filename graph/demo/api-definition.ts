import type { ApiType } from './default-org-blueprint.ts';
import { yamlScalar } from './to-yaml-document.ts';

/**
 * A short but valid-looking API definition (OpenAPI 3, proto3 or AsyncAPI 2)
 * built from a list of operations:
 * - openapi: "GET /carts/{cartId}"
 * - grpc: "GetCart"
 * - asyncapi: "order.placed"
 */
export function apiDefinition(options: {
  type: ApiType;
  name: string;
  title: string;
  description: string;
  operations: readonly string[];
  version: string;
  serverBase: string;
}): string {
  if (options.type === 'openapi') return openApiDefinition(options);
  if (options.type === 'grpc') return protoDefinition(options);
  return asyncApiDefinition(options);
}

function pascalCase(words: readonly string[]): string {
  return words
    .flatMap(word => word.split(/[^A-Za-z0-9]+/))
    .filter(word => word.length > 0)
    .map(word => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const actionWords = new Set(['capture', 'cancel', 'complete', 'redeem', 'add', 'evaluate', 'download', 'authorize', 'batch', 'lag', 'assignment', 'balance', 'similar', 'facets', 'pdf']);

function openApiDefinition(options: { name: string; title: string; description: string; operations: readonly string[]; version: string; serverBase: string }): string {
  const byPath = new Map<string, string[]>();
  for (const operation of options.operations) {
    const [method, path] = operation.split(' ');
    const methods = byPath.get(path) ?? [];
    methods.push(method.toLowerCase());
    byPath.set(path, methods);
  }
  let text = `openapi: 3.0.3
info:
  title: ${yamlScalar(options.title)}
  version: ${options.version}
  description: ${yamlScalar(options.description)}
servers:
  - url: ${options.serverBase}
paths:
`;
  for (const [path, methods] of byPath) {
    const segments = path.split('/').filter(segment => segment.length > 0);
    const parameters = segments.filter(segment => segment.startsWith('{')).map(segment => segment.slice(1, -1));
    // A collection segment followed by a parameter names a single item: /carts/{cartId} → cart.
    const words = segments
      .map((segment, index) => (segments[index + 1]?.startsWith('{') ? singular(segment) : segment))
      .filter(segment => !segment.startsWith('{'));
    const lastSegment = segments[segments.length - 1] ?? '';
    const endsWithParameter = lastSegment.startsWith('{');
    text += `  ${path}:\n`;
    for (const method of methods) {
      const lastWord = words[words.length - 1] ?? 'root';
      let verb = { get: endsWithParameter ? 'get' : 'list', post: 'create', put: 'update', patch: 'update', delete: 'delete' }[method] ?? method;
      let nouns = words;
      if (actionWords.has(lastWord) && words.length > 1) {
        verb = method === 'get' ? 'get' : lastWord;
        nouns = method === 'get' ? words : words.slice(0, -1);
      }
      const operationId = verb + pascalCase(nouns);
      text += `    ${method}:
      operationId: ${operationId}
      summary: ${verb[0].toUpperCase()}${verb.slice(1)} ${nouns.join(' ').replace(/[^A-Za-z0-9 ]/g, ' ').trim()}
`;
      if (parameters.length > 0) {
        text += '      parameters:\n';
        for (const parameter of parameters) {
          text += `        - name: ${parameter}
          in: path
          required: true
          schema:
            type: string
`;
        }
      }
      if (method === 'post' || method === 'put' || method === 'patch') {
        text += `      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
`;
      }
      const status = method === 'post' && verb === 'create' ? '201' : method === 'delete' ? '204' : '200';
      text += `      responses:
        '${status}':
          description: ${status === '204' ? 'Deleted' : 'Successful response'}
`;
      if (status !== '204') {
        text += `          content:
            application/json:
              schema:
                type: object
`;
      }
      text += `        '404':
          description: Not found
`;
    }
  }
  return text;
}

function protoDefinition(options: { name: string; title: string; description: string; operations: readonly string[]; version: string }): string {
  const packageWords = options.name.replace(/-(api|grpc)$/, '').split('-').join('_');
  const serviceName = pascalCase(options.name.replace(/-(api|grpc)$/, '').split('-')) + 'Service';
  const majorVersion = options.version.split('.')[0];
  let text = `// ${options.title} ${options.version}
// ${options.description}
syntax = "proto3";

package acme.${packageWords}.v${majorVersion};

service ${serviceName} {
`;
  for (const method of options.operations) text += `  rpc ${method}(${method}Request) returns (${method}Response);\n`;
  text += '}\n';
  for (const method of options.operations) {
    text += `
message ${method}Request {
  string id = 1;
  map<string, string> attributes = 2;
}

message ${method}Response {
  string id = 1;
  string status = 2;
  int64 updated_at_unix = 3;
}
`;
  }
  return text;
}

function asyncApiDefinition(options: { name: string; title: string; description: string; operations: readonly string[]; version: string }): string {
  let text = `asyncapi: 2.6.0
info:
  title: ${yamlScalar(options.title)}
  version: ${options.version}
  description: ${yamlScalar(options.description)}
servers:
  production:
    url: kafka.acme.example.com:9092
    protocol: kafka
channels:
`;
  for (const topic of options.operations) {
    const messageName = pascalCase(topic.split('.'));
    text += `  ${topic}:
    subscribe:
      operationId: on${messageName}
      message:
        name: ${messageName}
        contentType: application/json
        payload:
          type: object
          required:
            - id
            - occurredAt
          properties:
            id:
              type: string
            occurredAt:
              type: string
              format: date-time
`;
  }
  return text;
}
