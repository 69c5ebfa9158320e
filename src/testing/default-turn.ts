import type { EmulatorModelInfo } from './models-catalog';
import {
  compactionTurn,
  customToolCallItem,
  functionCallItem,
  messageItem,
  type OutputItemSpec,
  reasoningItem,
  type ScriptedTurn,
  turn,
} from './response-events';
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

/** Whether the input ends with a `compaction_trigger` item (remote compaction v2). */
function asksForCompaction(input: unknown): boolean {
  return Array.isArray(input) && (input.at(-1) as Json | undefined)?.type === 'compaction_trigger';
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
 * The tool call the request forces, if any: `tool_choice: "required"` calls the first function or custom tool,
 * a named tool choice (`{type: "function" | "custom", name}`) calls that tool. Arguments fit the tool's schema.
 */
function forcedToolCall(request: Json): OutputItemSpec | undefined {
  const choice = request.tool_choice as Json | string | undefined;
  const tools = (Array.isArray(request.tools) ? request.tools : []) as Json[];
  const callable = tools.filter(tool => tool.type === 'function' || tool.type === 'custom');
  const tool =
    choice === 'required'
      ? callable[0]
      : typeof choice === 'object' && choice !== null
        ? callable.find(candidate => candidate.type === choice.type && candidate.name === choice.name)
        : undefined;
  if (tool == null) return undefined;
  const name = String(tool.name);
  if (tool.type === 'custom') return customToolCallItem(name, 'example input');
  const args = sampleFromSchema(tool.parameters);
  return functionCallItem(name, typeof args === 'object' && args !== null ? (args as Json) : {});
}

/** Whether the model reasons at all: not when its catalog entry lists no reasoning levels, nor at effort `none`. */
function reasons(request: Json, model: EmulatorModelInfo | undefined): boolean {
  const effort = ((request.reasoning ?? {}) as Json).effort;
  return effort !== 'none' && model?.supported_reasoning_levels.length !== 0;
}

/**
 * What the emulator answers when nothing is scripted, as the request shapes it: to a `compaction_trigger`, a
 * `compaction` item; otherwise a reasoning item (unless the
 * model reasons not at all), then the tool call `tool_choice` forces, or else a short text that quotes the last
 * user message — or, when the request asks for structured output (`text.format`), JSON that satisfies the
 * schema. Like the backend, it sends reasoning summaries only when the request asks for them
 * (`reasoning.summary` other than `none`) and `encrypted_content` only when `include` has
 * `reasoning.encrypted_content`.
 */
export function defaultTurn(request: Json, model?: EmulatorModelInfo): ScriptedTurn {
  if (asksForCompaction(request.input)) return compactionTurn();
  const reasoning = (request.reasoning ?? {}) as Json;
  const wantsSummary = typeof reasoning.summary === 'string' && reasoning.summary !== 'none';
  const include = Array.isArray(request.include) ? request.include : [];
  const wantsEncrypted = include.includes('reasoning.encrypted_content');
  const output: OutputItemSpec[] = [];
  if (reasons(request, model)) {
    output.push(
      reasoningItem(
        wantsSummary ? ['**Answering the user**\n\nThe user wrote a message; reply briefly.'] : [],
        { encryptedContent: wantsEncrypted ? undefined : null },
      ),
    );
  }
  output.push(forcedToolCall(request) ?? messageItem(answerText(request), { phase: 'final_answer' }));
  return turn(output);
}
