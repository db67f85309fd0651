import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Contract checks against Twilio's own OpenAPI description of the 2010-04-01 API (OpenAPI 3.0.1), which ships
// inside @twilio/cli-core. Requests the app sends must match CreateCall / FetchCall / ListCall; responses the
// simulator sends must match the Call schema. Failures throw with every problem listed.

type FormFields = Record<string, string | string[]>;
type JsonObject = Record<string, unknown>;

const SPEC_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/@twilio/cli-core/src/services/twilio-api/twilio_api_v2010.json',
);
const SCHEMA_ID = 'twilio-api-v2010';
const CALL_SCHEMA = 'api.v2010.account.call';
const CALLS_PATH = '/2010-04-01/Accounts/{AccountSid}/Calls.json';
const CALL_PATH = '/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json';

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonObject;
}
interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonObject }> };
  responses: Record<string, { content?: Record<string, { schema: JsonObject }> }>;
}
interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonObject> };
}

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable: true` becomes a `null` type (and a `null` enum member),
 * vendor extensions (`x-…`) and documentation-only keywords are dropped, and $refs point into the spec's own
 * components, registered under SCHEMA_ID.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as JsonObject;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || key === 'example' || key === 'examples' || key === 'nullable' || key === 'externalDocs') continue;
    if (key === 'description' || key === 'title' || key === 'summary') {
      if (typeof value === 'string') continue;
    }
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out.$ref = `${SCHEMA_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
      continue;
    }
    // Inside `properties` every key is a field name, never a keyword.
    out[key] =
      key === 'properties' && value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value as JsonObject).map(([name, schema]) => [name, toJsonSchema(schema)]))
        : toJsonSchema(value);
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (typeof out.$ref === 'string') return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
  }
  return out;
}

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const E164 = /^\+[1-9]\d{1,14}$/;

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

function createAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, coerceTypes, validateFormats: true });
  addFormats(ajv);
  // Twilio's own formats, as its servers interpret them.
  ajv.addFormat('date-time-rfc-2822', RFC_2822);
  ajv.addFormat('phone-number', E164);
  ajv.addFormat('endpoint', (value: string) => E164.test(value) || /^(client|sip|sim):\S+$/.test(value));
  ajv.addFormat('http-method', /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/);
  ajv.addFormat('twiml', (value: string) => /^\s*(<\?xml[^>]*\?>\s*)?<Response[\s>/]/.test(value));
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  ajv.addFormat('uri-map', true);
  ajv.addFormat('phone-number-capabilities', true);
  ajv.addFormat('sid', /^[A-Z]{2}[0-9a-fA-F]{32}$/);
  ajv.addFormat('sid-like', true);
  ajv.addFormat('iso-country-code', /^[A-Z]{2}$/);
  ajv.addFormat('date-time-rfc-2822-or-empty', true);
  ajv.addVocabulary(['discriminator', 'xml']);
  return ajv;
}

let cached: { spec: OpenApiSpec; strict: Ajv; coercing: Ajv } | null = null;

function load(): { spec: OpenApiSpec; strict: Ajv; coercing: Ajv } {
  if (cached) return cached;
  const spec = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as OpenApiSpec;
  const components = { $id: SCHEMA_ID, $defs: toJsonSchema(spec.components.schemas) };
  const strict = createAjv(false);
  const coercing = createAjv('array');
  strict.addSchema(components);
  coercing.addSchema(components);
  cached = { spec, strict, coercing };
  return cached;
}

function operation(pathTemplate: string, method: string): OpenApiOperation {
  const found = load().spec.paths[pathTemplate]?.[method.toLowerCase()];
  if (!found) throw new Error(`Twilio's OpenAPI description has no ${method.toUpperCase()} ${pathTemplate}`);
  return found;
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`${subject} does not conform to Twilio's OpenAPI description:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

function describe(errors: ErrorObject[] | null | undefined, prefix = ''): string[] {
  return (errors ?? []).map((error) => {
    const field = error.instancePath.slice(1).replace(/\//g, '.');
    const where = [prefix, field].filter(Boolean).join(' ') || 'body';
    if (error.keyword === 'additionalProperties') return `${where}: unknown field '${String(error.params.additionalProperty)}'`;
    if (error.keyword === 'required') return `${where}: missing field '${String(error.params.missingProperty)}'`;
    return `${where}: ${error.message ?? error.keyword}${error.keyword === 'enum' ? ` (${JSON.stringify(error.params.allowedValues)})` : ''}`;
  });
}

function check(validate: ValidateFunction, data: unknown, subject: string, prefix = ''): void {
  if (!validate(data)) throw new ContractViolation(subject, describe(validate.errors, prefix));
}

/** Matches a concrete path against an OpenAPI path template; returns the path parameters or null. */
function matchPath(template: string, concrete: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^${}()|[\]\\]/g, (char) => (char === '{' || char === '}' ? char : `\\${char}`)).replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(concrete);
  if (!match) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] as string)]));
}

function checkParameters(op: OpenApiOperation, where: 'path' | 'query', values: FormFields): string[] {
  const { coercing } = load();
  const problems: string[] = [];
  const declared = (op.parameters ?? []).filter((parameter) => parameter.in === where);
  for (const parameter of declared) {
    const value = values[parameter.name];
    if (value === undefined) {
      if (parameter.required) problems.push(`${where} parameter ${parameter.name}: required`);
      continue;
    }
    const holder = { value: Array.isArray(value) ? [...value] : value };
    const wrapped = coercing.compile({ type: 'object', properties: { value: toJsonSchema(parameter.schema) as JsonObject } });
    if (!wrapped(holder)) problems.push(...describe(wrapped.errors, `${where} parameter ${parameter.name}`).map((line) => line.replace(' value:', ':')));
  }
  for (const name of Object.keys(values)) {
    if (!declared.some((parameter) => parameter.name === name)) problems.push(`${where} parameter ${name}: not declared by the operation`);
  }
  return problems;
}

function toFields(body: FormFields | URLSearchParams | string): FormFields {
  if (typeof body !== 'string' && !(body instanceof URLSearchParams)) return body;
  const fields: FormFields = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = fields[key];
    fields[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

/**
 * A Calls create form body (`To=…&StatusCallbackEvent=a&StatusCallbackEvent=b…`) against CreateCall's
 * application/x-www-form-urlencoded schema. Values are coerced the way Twilio's server reads a form: a single
 * value of an array parameter becomes a one-element array, numeric and boolean strings become numbers and
 * booleans. Fields the schema does not declare are reported (Twilio would silently ignore a misspelt one).
 */
export function assertConformsToCreateCall(formBody: FormFields | URLSearchParams | string, requestPath?: string): void {
  const op = operation(CALLS_PATH, 'post');
  const subject = 'CreateCall request';
  const problems: string[] = [];
  if (requestPath !== undefined) {
    const params = matchPath(CALLS_PATH, requestPath);
    if (!params) problems.push(`path ${requestPath} is not ${CALLS_PATH}`);
    else problems.push(...checkParameters(op, 'path', params));
  }
  const schema = op.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  if (!schema) throw new Error('CreateCall has no form body schema in the OpenAPI description');
  const validate = load().coercing.compile({ ...(toJsonSchema(schema) as JsonObject), additionalProperties: false });
  const data = structuredClone(toFields(formBody));
  if (!validate(data)) problems.push(...describe(validate.errors, 'form'));
  if (problems.length > 0) throw new ContractViolation(subject, problems);
}

/** A FetchCall request: `GET /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json` with valid SIDs, no query. */
export function assertConformsToFetchCall(requestPath: string, method: string, query: FormFields = {}): void {
  const subject = `FetchCall request ${method} ${requestPath}`;
  if (method.toUpperCase() !== 'GET') throw new ContractViolation(subject, [`method ${method} is not GET`]);
  const op = operation(CALL_PATH, 'get');
  const params = matchPath(CALL_PATH, requestPath);
  if (!params) throw new ContractViolation(subject, [`path is not ${CALL_PATH}`]);
  const problems = [...checkParameters(op, 'path', params), ...checkParameters(op, 'query', query)];
  if (problems.length > 0) throw new ContractViolation(subject, problems);
}

/** A ListCall request: `GET /2010-04-01/Accounts/{AccountSid}/Calls.json` with only declared filters. */
export function assertConformsToListCalls(requestPath: string, method: string, query: FormFields): void {
  const subject = `ListCall request ${method} ${requestPath}`;
  if (method.toUpperCase() !== 'GET') throw new ContractViolation(subject, [`method ${method} is not GET`]);
  const op = operation(CALLS_PATH, 'get');
  const params = matchPath(CALLS_PATH, requestPath);
  if (!params) throw new ContractViolation(subject, [`path is not ${CALLS_PATH}`]);
  // PageToken-style paging links carry only declared parameters, so nothing unknown is allowed here either.
  const problems = [...checkParameters(op, 'path', params), ...checkParameters(op, 'query', query)];
  if (problems.length > 0) throw new ContractViolation(subject, problems);
}

let callValidator: ValidateFunction | null = null;
let callListValidator: ValidateFunction | null = null;

/**
 * A Call resource JSON against components.schemas['api.v2010.account.call']. The spec marks no field required
 * and allows extra ones; Twilio's responses carry every field, so this check also demands all of them and
 * nothing else — otherwise an empty object would "conform".
 */
export function assertIsCallResource(json: unknown): void {
  if (!callValidator) {
    const { spec, strict } = load();
    const schema = toJsonSchema(spec.components.schemas[CALL_SCHEMA]) as JsonObject;
    const properties = Object.keys(schema.properties as JsonObject);
    callValidator = strict.compile({ ...schema, required: properties, additionalProperties: false });
  }
  check(callValidator, json, 'Call resource');
}

/** A Calls list page (ListCallResponse) with every call a full Call resource. */
export function assertIsCallListPage(json: unknown): void {
  if (!callListValidator) {
    const op = operation(CALLS_PATH, 'get');
    const schema = toJsonSchema(op.responses['200']?.content?.['application/json']?.schema) as JsonObject;
    // Twilio's page links are relative ("/2010-04-01/…") although the spec calls them `uri`.
    const properties = Object.fromEntries(
      Object.entries(schema.properties as JsonObject).map(([name, property]) => {
        const copy = { ...(property as JsonObject) };
        if (copy.format === 'uri') copy.format = 'uri-reference';
        return [name, copy];
      }),
    );
    callListValidator = load().strict.compile({ ...schema, properties, required: Object.keys(properties), additionalProperties: false });
  }
  check(callListValidator, json, 'Calls list page');
  for (const [index, call] of ((json as { calls: unknown[] }).calls ?? []).entries()) {
    try {
      assertIsCallResource(call);
    } catch (error) {
      if (error instanceof ContractViolation) throw new ContractViolation(`Calls list page, calls[${index}]`, error.problems);
      throw error;
    }
  }
}
