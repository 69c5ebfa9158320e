import { messageItem, type OutputItemSpec, reasoningItem, type ScriptedTurn, turn } from './response-events';
import { sampleFromSchema } from './schema-sample';

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map(part =>
      typeof part === 'object' && part !== null && typeof (part as Json).text === 'string'
        ? (part as Json).text
        : '',
    )
    .join('');
}

/** The text of the last user message in a Responses `input`, if any. */
export function lastUserText(input: unknown): string | undefined {
  if (!Array.isArray(input)) return undefined;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as Json | null;
    if (item && typeof item === 'object' && item.role === 'user') {
      const text = textOf(item.content).trim();
      // The Codex CLI also sends environment context as user messages; skip those.
      if (text && !text.startsWith('<environment_context>')) return text;
    }
  }
  return undefined;
}

/** The answer text: JSON that fits a requested `text.format`, else a greeting quoting the user. */
function answerText(request: Json): string {
  const format = ((request.text ?? {}) as Json).format as Json | undefined;
  if (format?.type === 'json_schema') return JSON.stringify(sampleFromSchema(format.schema));
  if (format?.type === 'json_object') return JSON.stringify({ message: 'Hello from the Codex emulator.' });
  const said = lastUserText(request.input);
  const quote =
    said === undefined ? '' : ` You said: "${said.length > 200 ? `${said.slice(0, 200)}…` : said}".`;
  return `Hello from the Codex emulator.${quote}`;
}

/**
 * What the emulator answers when nothing is scripted: a reasoning item, then a short text that quotes
 * the last user message — or, when the request asks for structured output (`text.format`), JSON that
 * satisfies the schema. Like the backend, it sends reasoning summaries only when the request asks for
 * them (`reasoning.summary` other than `none`) and `encrypted_content` only when `include` has
 * `reasoning.encrypted_content`.
 */
export function defaultTurn(request: Json): ScriptedTurn {
  const reasoning = (request.reasoning ?? {}) as Json;
  const wantsSummary = typeof reasoning.summary === 'string' && reasoning.summary !== 'none';
  const include = Array.isArray(request.include) ? request.include : [];
  const wantsEncrypted = include.includes('reasoning.encrypted_content');
  const output: OutputItemSpec[] = [
    reasoningItem(
      wantsSummary ? ['**Answering the user**\n\nThe user wrote a message; reply briefly.'] : [],
      {
        encryptedContent: wantsEncrypted ? undefined : null,
      },
    ),
    messageItem(answerText(request), { phase: 'final_answer' }),
  ];
  return turn(output);
}
