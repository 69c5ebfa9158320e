import { createOpenAI } from '@ai-sdk/openai';
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { convertReadableStreamToArray } from '@ai-sdk/provider-utils/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodex } from '../src/codex-provider';
import { type CodexEmulator, sseChunksFromLines, startCodexEmulator } from '../src/testing';
import { readFixture, recordedStreamFiles } from './support/fixtures';

/**
 * Differential test: every recorded Responses stream is fed through this provider (served by the
 * emulator over HTTP) and through `@ai-sdk/openai`'s Responses model (the oracle, fed the same bytes).
 * Both must agree on text, reasoning text, tool calls, sources, usage and finish reason.
 */

/** Each fixture file, split into single responses at every `response.created`. */
function loadStreams(): Array<{ name: string; lines: string[] }> {
  const streams: Array<{ name: string; lines: string[] }> = [];
  for (const file of recordedStreamFiles()) {
    const responses: string[][] = [];
    for (const line of readFixture('openai-responses', file).split('\n')) {
      if (line.trim().length === 0) continue;
      if ((JSON.parse(line) as { type: string }).type === 'response.created' || responses.length === 0) {
        responses.push([]);
      }
      responses.at(-1)!.push(line);
    }
    responses.forEach((lines, index) => {
      streams.push({ name: responses.length > 1 ? `${file} #${index + 1}` : file, lines });
    });
  }
  return streams;
}

const streams = loadStreams();

const callOptions: LanguageModelV4CallOptions = {
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'Go.' }] }],
};

type Outcome =
  | { threw: true; statusCode: number | undefined; message: string }
  | {
      threw: false;
      text: string;
      reasoning: string;
      toolCalls: unknown[];
      sources: unknown[];
      usage: unknown;
      finishReason: unknown;
    };

async function run(model: LanguageModelV4, options: LanguageModelV4CallOptions): Promise<Outcome> {
  let parts: LanguageModelV4StreamPart[];
  try {
    parts = await convertReadableStreamToArray((await model.doStream(options)).stream);
  } catch (error) {
    const { statusCode, message } = error as { statusCode?: number; message: string };
    return { threw: true, statusCode, message };
  }
  const finish = parts.find(part => part.type === 'finish');
  return {
    threw: false,
    text: parts.map(part => (part.type === 'text-delta' ? part.delta : '')).join(''),
    reasoning: parts.map(part => (part.type === 'reasoning-delta' ? part.delta : '')).join(''),
    toolCalls: parts.flatMap(part =>
      part.type === 'tool-call'
        ? [
            {
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              input: part.input.length > 0 ? JSON.parse(part.input) : '',
              providerExecuted: part.providerExecuted ?? false,
            },
          ]
        : [],
    ),
    sources: parts.flatMap(part =>
      part.type === 'source'
        ? [
            part.sourceType === 'url'
              ? { sourceType: 'url', url: part.url, title: part.title }
              : { sourceType: 'document', title: part.title, mediaType: part.mediaType },
          ]
        : [],
    ),
    usage: finish?.type === 'finish' ? finish.usage : undefined,
    finishReason: finish?.type === 'finish' ? finish.finishReason : undefined,
  };
}

describe('differential: this provider vs @ai-sdk/openai on recorded streams', () => {
  let emulator: CodexEmulator;

  beforeAll(async () => {
    emulator = await startCodexEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('found the recorded streams', () => {
    // openai-reasoning-encrypted-content.1 alone holds four responses.
    expect(streams.length).toBeGreaterThanOrEqual(12);
  });

  it.each(streams.map(stream => [stream.name, stream.lines] as const))('%s', async (_name, lines) => {
    const chunks = sseChunksFromLines(lines.join('\n'));

    const login = await emulator.login();
    const codex = createCodex({
      baseURL: emulator.baseURL,
      auth: { accessToken: login.accessToken, accountId: login.accountId },
    });
    emulator.enqueue({ type: 'sse', chunks });
    const ours = await run(codex('gpt-5.5'), callOptions);

    const openai = createOpenAI({
      apiKey: 'test-key',
      fetch: async () =>
        new Response([...chunks, 'data: [DONE]\n\n'].join(''), {
          headers: { 'content-type': 'text/event-stream' },
        }),
    });
    const oracle = await run(openai.responses('gpt-5.5'), {
      ...callOptions,
      providerOptions: { openai: { store: false } },
    });

    expect(ours).toEqual(oracle);
    // Guard against both sides agreeing on nothing.
    expect(ours.threw || ours.text.length > 0 || ours.toolCalls.length > 0).toBe(true);
  });
});
