import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { stepCountIs, streamText, tool } from 'ai';
import { createCodex } from 'ai-sdk-provider-codex';
import { z } from 'zod/v4';
import { functionCallItem, reasoningItem, textTurn, turn } from '../src/testing';
import { fullGc } from './gc';
import type { RemoteEmulator } from './remote-emulator';
import { median, percentile } from './stats';

/** The three ways a tool loop reaches the backend that this benchmark compares. */
export type TransportContender = 'websocket' | 'sse' | 'openai';

export const TRANSPORT_CONTENDER_NAMES: Record<TransportContender, string> = {
  websocket: 'ai-sdk-provider-codex, WebSocket',
  sse: 'ai-sdk-provider-codex, SSE',
  openai: '@ai-sdk/openai (Responses, SSE)',
};

const CONTENDERS: TransportContender[] = ['websocket', 'sse', 'openai'];

export interface ToolLoopTransportOptions {
  emulator: RemoteEmulator;
  /** Steps of the loop: tool calls, then the answer. Default 30. */
  steps?: number;
  /** Characters of each tool result. Default 6,800 (about 200 KB of tool output over 30 steps). */
  toolOutputChars?: number;
  /** Loops per contender, interleaved. Default 3. */
  rounds?: number;
}

export interface ToolLoopTransportResult {
  steps: number;
  toolOutputBytes: number;
  contenders: Record<
    TransportContender,
    {
      /** Bytes of each request body (WebSocket: each message), per step, median of the rounds. */
      bytesPerStep: number[];
      /** Sum of `bytesPerStep`. */
      totalBytes: number;
      /** From the call to the model to its first content part, over every step of every round. */
      firstTokenMs: { p50: number; p90: number };
      /** Client CPU from the call to the end of its stream, per step, over every step of every round. */
      cpuMicrosPerStep: { p50: number; p90: number };
    }
  >;
}

interface StepSample {
  firstTokenMs: number;
  cpuMicros: number;
}

/** The model, timing each step: first content part, and CPU until the end of its stream. */
function measured(model: LanguageModelV4, samples: StepSample[]): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: options => model.doGenerate(options),
    doStream: async options => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      const result = await model.doStream(options);
      const sample = { firstTokenMs: Number.NaN, cpuMicros: 0 };
      samples.push(sample);
      const firstContent = new Set(['text-delta', 'reasoning-start', 'tool-input-start', 'tool-call']);
      return {
        ...result,
        stream: result.stream.pipeThrough(
          new TransformStream({
            transform(part, controller) {
              if (Number.isNaN(sample.firstTokenMs) && firstContent.has(part.type))
                sample.firstTokenMs = performance.now() - start;
              controller.enqueue(part);
            },
            flush() {
              const used = process.cpuUsage(cpu);
              sample.cpuMicros = used.user + used.system;
            },
          }),
        ),
      };
    },
  };
}

function createModel(
  contender: TransportContender,
  target: { baseURL: string; accessToken: string; accountId: string },
) {
  if (contender === 'openai') {
    return createOpenAI({
      baseURL: target.baseURL,
      apiKey: target.accessToken,
      headers: { 'chatgpt-account-id': target.accountId },
    }).responses('gpt-5.5');
  }
  return createCodex({
    baseURL: target.baseURL,
    auth: { accessToken: target.accessToken, accountId: target.accountId },
    transport: contender,
  }).languageModel('gpt-5.5');
}

/**
 * Benchmark 6: a tool loop whose history grows step by step (each step a reasoning item and a tool call
 * answered by a large tool result), over the WebSocket with incremental input, over SSE, and through
 * `@ai-sdk/openai`. Bytes are counted where the emulator receives them (request bodies, WebSocket messages).
 */
export async function benchToolLoopTransport(
  options: ToolLoopTransportOptions,
): Promise<ToolLoopTransportResult> {
  const { emulator } = options;
  const steps = options.steps ?? 30;
  const rounds = options.rounds ?? 3;
  const toolOutput = 'tool output line. '
    .repeat(Math.ceil((options.toolOutputChars ?? 6_800) / 18))
    .slice(0, options.toolOutputChars ?? 6_800);
  const { login } = await emulator.login();
  const target = { baseURL: emulator.baseURL, accessToken: login.accessToken, accountId: login.accountId };
  const readFile = tool({
    description: 'Reads a file of the project',
    inputSchema: z.object({ path: z.string() }),
    execute: async ({ path }) => `${path}\n${toolOutput}`,
  });

  const runLoop = async (contender: TransportContender) => {
    await emulator.reset();
    await emulator.enqueue(
      turn([
        reasoningItem(['Reading the next file.']),
        functionCallItem('read_file', { path: 'src/index.ts' }),
      ]),
      steps - 1,
    );
    await emulator.enqueue(textTurn('Read every file.'), 1);
    const samples: StepSample[] = [];
    const result = streamText({
      model: measured(createModel(contender, target), samples),
      system: 'You are a coding agent. Read files with the tool.',
      prompt: 'Read the project, file by file.',
      tools: { read_file: readFile },
      stopWhen: stepCountIs(steps),
      providerOptions: { openai: { store: false } },
    });
    await result.consumeStream();
    if ((await result.steps).length !== steps)
      throw new Error(`${contender}: the loop did not run ${steps} steps.`);
    return { samples, sizes: await emulator.requestSizes() };
  };

  const runs: Record<TransportContender, Array<{ samples: StepSample[]; sizes: number[] }>> = {
    websocket: [],
    sse: [],
    openai: [],
  };
  for (const contender of CONTENDERS) await runLoop(contender); // warm-up: connections and JIT
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CONTENDERS.length; k++) {
      const contender = CONTENDERS[(round + k) % CONTENDERS.length]!;
      // CPU time counts the collector's threads too: what earlier loops and benchmarks left is collected
      // before each loop rather than during one contender's steps.
      fullGc();
      runs[contender].push(await runLoop(contender));
    }
  }

  const summarize = (contender: TransportContender) => {
    const all = runs[contender];
    const bytesPerStep = Array.from({ length: steps }, (_, i) => median(all.map(run => run.sizes[i] ?? 0)));
    const samples = all.flatMap(run => run.samples);
    const firstToken = samples.map(s => s.firstTokenMs);
    const cpu = samples.map(s => s.cpuMicros);
    return {
      bytesPerStep,
      totalBytes: bytesPerStep.reduce((sum, n) => sum + n, 0),
      firstTokenMs: { p50: percentile(firstToken, 50), p90: percentile(firstToken, 90) },
      cpuMicrosPerStep: { p50: percentile(cpu, 50), p90: percentile(cpu, 90) },
    };
  };
  return {
    steps,
    toolOutputBytes: (steps - 1) * toolOutput.length,
    contenders: { websocket: summarize('websocket'), sse: summarize('sse'), openai: summarize('openai') },
  };
}
