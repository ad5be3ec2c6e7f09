/** The resolver API as an OpenAPI 3.1 document, served at /openapi.json. */
import { CLASSES } from '../index-file/layout.js';

const error = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'a stable code: invalid_address, batch_too_large, body_too_large, unsupported_media_type, bad_request, unauthorized, rate_limited, not_found, method_not_allowed, not_ready, internal' },
    message: { type: 'string', description: 'what is wrong, in a sentence; never repeats the address' },
  },
};

const company = {
  type: ['object', 'null'],
  description: 'the registered company the range is linked to; null when it is not linked, and always for isp and mobile ranges',
  required: ['name', 'register', 'register_id', 'country', 'city', 'industry', 'website', 'lei'],
  properties: {
    name: { type: 'string', description: 'registered name as the register publishes it' },
    register: { type: 'string', description: 'the register: gb-companies-house, fr-sirene, no-brreg, be-kbo, ee-rik, gleif-lei' },
    register_id: { type: 'string', description: "the company's number in that register" },
    country: { type: ['string', 'null'], description: 'ISO 3166 alpha-2' },
    city: { type: ['string', 'null'], description: 'city of the registered office' },
    industry: {
      type: ['object', 'null'],
      properties: { scheme: { type: 'string', description: 'SIC2007, NAFRev2, NACE2008, SN2007 or EMTAK' }, codes: { type: 'array', items: { type: 'string' }, description: 'main first' } },
    },
    website: { type: ['string', 'null'] },
    lei: { type: ['string', 'null'], description: 'ISO 17442 Legal Entity Identifier, where known' },
  },
};

/** The answers every /v1 route may give besides its own, when API keys and a rate limit are configured. */
const accessResponses = {
  401: { description: 'API keys are configured and the request presents none or an unknown one', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  429: { description: "over the key's requests per second; Retry-After says when to try again", content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};

const answerFields = {
  found: { type: 'boolean', description: 'false: no range of the build holds the address, and nothing more is said' },
  class: { type: 'string', enum: [...CLASSES], description: 'what the range is: business, isp, hosting, mobile, education, government, or unknown (an RIR allocation no WHOIS range describes)' },
  country: { type: ['string', 'null'], description: 'country of the WHOIS range or the RIR allocation' },
  company,
  confidence: { type: ['number', 'null'], description: 'calibrated confidence of the link, 0 to 1; null when not linked' },
  link_rule: { type: ['string', 'null'], description: 'the rule that made the link' },
  asn: { type: ['integer', 'null'], description: 'the autonomous system announcing the range (the routing data\'s most specific announcement); null when none does or the build has no routing data' },
  as_name: { type: ['string', 'null'], description: "that network's name in the routing data" },
  sources: { type: 'array', items: { type: 'string' }, description: 'the sources the answer comes from; their attributions are at /v1/about' },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'ipreg resolver',
    version: '1',
    description: 'Which registered company is behind an IP address. Answers never contain the address asked about; the service keeps none.',
  },
  paths: {
    '/v1/lookup/{ip}': {
      get: {
        summary: 'Look one address up',
        parameters: [{ name: 'ip', in: 'path', required: true, schema: { type: 'string' }, description: 'IPv4 (dotted quad) or IPv6 text' }],
        responses: {
          200: { description: 'the answer', content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } } },
          400: { description: 'not an IPv4 or IPv6 address', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          503: { description: 'no verified build loaded yet', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ...accessResponses,
        },
      },
    },
    '/v1/lookup': {
      post: {
        summary: 'Look a batch of addresses up, answered in order',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['ips'], properties: { ips: { type: 'array', items: { type: 'string' }, maxItems: 10000 } } } } },
        },
        responses: {
          200: {
            description: "one result per address, in the request's order; an entry that is not an address gets found false and error invalid_address",
            content: { 'application/json': { schema: { type: 'object', properties: { build_id: { type: 'string' }, results: { type: 'array', items: { $ref: '#/components/schemas/BatchResult' } } } } } },
          },
          400: { description: 'the body is not {"ips": [...]} or holds more addresses than allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          413: { description: 'the body is larger than allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          415: { description: 'the body is not sent as application/json', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ...accessResponses,
        },
      },
    },
    '/healthz': { get: { summary: 'The process is up', responses: { 200: { description: 'up' } } } },
    '/readyz': { get: { summary: 'Ready once a verified build is loaded: its id and age', responses: { 200: { description: 'ready' }, 503: { description: 'no build loaded yet' } } } },
    '/metrics': { get: { summary: 'Prometheus text exposition', responses: { 200: { description: 'metrics' } } } },
    '/v1/about': { get: { summary: 'The build served, its sources and the attributions their licences require', responses: { 200: { description: 'about' }, ...accessResponses } } },
  },
  // Required only when the service is configured with API keys (serve.apiKeys).
  security: [{}, { bearer: [] }, { apiKey: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    },
    schemas: {
      Answer: { type: 'object', required: ['build_id', 'found'], properties: { build_id: { type: 'string', description: 'the index build that answered' }, ...answerFields } },
      BatchResult: { type: 'object', required: ['found'], properties: { ...answerFields, error: { type: 'string', enum: ['invalid_address'] } } },
      Error: error,
    },
  },
} as const;
