import { Ajv } from 'ajv';

/**
 * The Informal Trace Format as ADR-015 of Apalache defines it
 * (https://apalache-mc.org/docs/adr/015adr-trace.html): a trace has `vars` and `states`
 * (optionally `#meta`, `params`, `loop`); a state is a record of the variables' values with an
 * optional `#meta`; a value is a boolean, a string, an integer (a JSON number in the safe range,
 * else `#bigint`), a list, a record, or a `#bigint` / `#tup` / `#set` / `#map` /
 * `#unserializable` tagged object. There is no JSON null.
 *
 * Stricter where a reader of ITF is: itf-rs (the Rust reader, 0.4) reads a trace's `#meta` as
 * format, format-description, source, description (strings), varTypes (strings), timestamp
 * (an integer) and any other field as a string; a state's `#meta` as `index` and strings.
 */
export const itfSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['vars', 'states'],
  additionalProperties: false,
  properties: {
    '#meta': {
      type: 'object',
      properties: {
        varTypes: { type: 'object', additionalProperties: { type: 'string' } },
        timestamp: { type: 'integer', minimum: 0 },
      },
      additionalProperties: { type: 'string' },
    },
    params: { type: 'array', items: { type: 'string' } },
    vars: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    states: { type: 'array', items: { $ref: '#/definitions/state' } },
    loop: { type: 'integer', minimum: 0 },
  },
  definitions: {
    state: {
      type: 'object',
      properties: {
        '#meta': {
          type: 'object',
          properties: { index: { type: 'integer', minimum: 0 } },
          additionalProperties: { type: 'string' },
        },
      },
      propertyNames: { anyOf: [{ const: '#meta' }, { not: { pattern: '^#' } }] },
      additionalProperties: { $ref: '#/definitions/value' },
    },
    value: {
      anyOf: [
        { type: 'boolean' },
        { type: 'string' },
        { type: 'integer', minimum: -(2 ** 53) + 1, maximum: 2 ** 53 - 1 },
        { type: 'array', items: { $ref: '#/definitions/value' } },
        tagged('#bigint', { type: 'string', pattern: '^-?[0-9]+$' }),
        tagged('#tup', { type: 'array', items: { $ref: '#/definitions/value' } }),
        tagged('#set', { type: 'array', items: { $ref: '#/definitions/value' } }),
        tagged('#map', {
          type: 'array',
          items: { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/definitions/value' } },
        }),
        tagged('#unserializable', { type: 'string' }),
        {
          type: 'object',
          propertyNames: { not: { pattern: '^#' } },
          additionalProperties: { $ref: '#/definitions/value' },
        },
      ],
    },
  },
};

function tagged(tag: string, schema: object) {
  return { type: 'object', required: [tag], additionalProperties: false, properties: { [tag]: schema } };
}

/** Validates a parsed document against `itfSchema`; the errors are in `validateItf.errors`. */
export const validateItf = new Ajv({ allErrors: true }).compile(itfSchema);
