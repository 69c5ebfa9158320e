import type { JSONSchema7 } from '@ai-sdk/provider';
import { toStrictModeSchema } from '../../responses/strict-json-schema';

type JsonObject = Record<string, unknown>;

/**
 * `text.format` and function tools with `strict: true`, their schemas' `oneOf` sent as the `anyOf` strict mode
 * takes (the backend refuses `oneOf` in strict mode). Clients such as `@ai-sdk/openai` send a
 * `z.discriminatedUnion` as `oneOf`; its branches never overlap, so `anyOf` means the same.
 */
export function strictSchemasForBackend(body: JsonObject): { text?: unknown; tools?: unknown } {
  const text = body.text as JsonObject | undefined;
  const format = text?.format as JsonObject | undefined;
  const tools = Array.isArray(body.tools) ? (body.tools as JsonObject[]) : undefined;
  return {
    ...(format?.type === 'json_schema' &&
      format.strict === true &&
      format.schema != null && {
        text: { ...text, format: { ...format, schema: toStrictModeSchema(format.schema as JSONSchema7) } },
      }),
    ...(tools?.some(isStrictFunction) && {
      tools: tools.map(tool =>
        isStrictFunction(tool) && tool.parameters != null
          ? { ...tool, parameters: toStrictModeSchema(tool.parameters as JSONSchema7) }
          : tool,
      ),
    }),
  };
}

function isStrictFunction(tool: JsonObject): boolean {
  return tool.type === 'function' && tool.strict === true;
}
