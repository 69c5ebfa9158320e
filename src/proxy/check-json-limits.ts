import { ProxyError } from './proxy-error';

export interface JsonLimits {
  /** Deepest nesting of objects and lists. */
  maxDepth: number;
  /** Most items in one list: messages, input items, content parts, tools. */
  maxListLength: number;
  /** Most objects and lists in the whole body. */
  maxContainers: number;
}

/**
 * Limits a request body must keep before it is parsed: far more than any context window holds, yet small
 * enough that parsing, validating and converting a body within them costs bounded time and memory, and that
 * recursive walks (JSON schemas of tools) stay far from the stack's end.
 */
export const JSON_LIMITS: JsonLimits = { maxDepth: 128, maxListLength: 50_000, maxContainers: 500_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Throws a 400 naming the top-level field when the JSON `text` nests too deep, holds too long a list or too
 * many objects. One pass over the characters, allocating nothing per value, so that a body that would take
 * seconds and hundreds of megabytes to parse is refused in milliseconds. Malformed JSON passes: the parser
 * reports it.
 */
export function checkJsonLimits(text: string, limits: JsonLimits = JSON_LIMITS): void {
  // Per open level: whether it is a list, and the commas seen in it.
  const isList = new Uint8Array(limits.maxDepth + 1);
  const commas = new Int32Array(limits.maxDepth + 1);
  let depth = 0;
  let containers = 0;
  // The key of the top-level field being read, to name it in the error.
  let field: string | undefined;
  let expectsKey = false;

  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === QUOTE) {
      const end = closingQuote(text, index);
      if (end === -1) return;
      if (depth === 1 && expectsKey) field = text.slice(index + 1, Math.min(end, index + 65));
      expectsKey = false;
      index = end;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth++;
      containers++;
      if (depth > limits.maxDepth) {
        throw limitError(
          `The request nests objects and lists deeper than ${limits.maxDepth} levels${where(field)}. Flatten it (a JSON schema, for example, with fewer nested levels).`,
          field,
        );
      }
      if (containers > limits.maxContainers) {
        throw limitError(
          `The request holds more than ${limits.maxContainers} objects and lists${where(field)}, more than the proxy accepts. Send a shorter conversation.`,
          field,
        );
      }
      isList[depth] = char === OPEN_BRACKET ? 1 : 0;
      commas[depth] = 0;
      expectsKey = depth === 1 && char === OPEN_BRACE;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--;
    } else if (char === COMMA && depth > 0) {
      if (isList[depth] === 1 && ++commas[depth]! >= limits.maxListLength) {
        const list = depth === 2 && field != null ? `'${field}'` : `A list${where(field)}`;
        throw limitError(
          `${list} has more than ${limits.maxListLength} items, more than the proxy accepts (and more than any context window holds). Send a shorter conversation.`,
          field,
        );
      }
      expectsKey = depth === 1 && isList[1] === 0;
    }
  }
}

/** The index of the quote that ends the string opened at `start`, or -1 when it is never closed. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

function where(field: string | undefined): string {
  return field != null ? ` in '${field}'` : '';
}

function limitError(message: string, field: string | undefined): ProxyError {
  return new ProxyError({ message, param: field ?? null, code: 'request_too_complex' });
}
