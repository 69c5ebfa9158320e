/**
 * `npm run demo`: the provider end to end with no account and no network. It starts the Codex
 * backend emulator, scripts a turn that calls a tool and a turn that answers, and streams it
 * through the AI SDK's `streamText` with a real tool, over the backend's WebSocket (the default in Node.js).
 */
import { stepCountIs, streamText, tool } from 'ai';
import { createCodex } from 'ai-sdk-provider-codex';
import { functionCallTurn, startCodexEmulator, textTurn } from 'ai-sdk-provider-codex/testing';
import { z } from 'zod/v4';

const emulator = await startCodexEmulator();
try {
  const login = await emulator.login();
  const codex = createCodex({
    baseURL: emulator.baseURL,
    auth: { accessToken: login.accessToken, accountId: login.accountId },
  });

  emulator.enqueue(
    functionCallTurn(
      { name: 'lookupPackage', arguments: { name: 'ai' } },
      { reasoning: 'Let me check the registry.' },
    ),
    textTurn(
      'The `ai` package is the Vercel AI SDK: one API for text, objects and tool calls across providers.',
      {
        delayMs: 30,
      },
    ),
  );

  const result = streamText({
    model: codex('gpt-5.5'),
    prompt: 'What is the npm package `ai`?',
    tools: {
      lookupPackage: tool({
        description: 'Looks up an npm package',
        inputSchema: z.object({ name: z.string() }),
        execute: async ({ name }) => ({ name, description: 'The AI Toolkit for TypeScript' }),
      }),
    },
    stopWhen: stepCountIs(3),
  });

  console.log(`Codex emulator at ${emulator.baseURL}\n`);
  for await (const part of result.fullStream) {
    if (part.type === 'reasoning-delta') process.stdout.write(`\x1b[2m${part.text}\x1b[0m`);
    if (part.type === 'reasoning-end') process.stdout.write('\n');
    if (part.type === 'tool-call') console.log(`→ ${part.toolName}(${JSON.stringify(part.input)})`);
    if (part.type === 'tool-result') console.log(`← ${JSON.stringify(part.output)}\n`);
    if (part.type === 'text-delta') process.stdout.write(part.text);
  }
  const usage = await result.totalUsage;
  console.log(`\n\n${(await result.steps).length} steps, ${usage.totalTokens} tokens`);
  // In Node.js the default transport is the backend's WebSocket: after the first step, only the new items go up.
  for (const [index, request] of emulator.requestsTo('responses').entries()) {
    const count = (request.body as { input: unknown[] }).input.length;
    const items = `${count} item${count === 1 ? '' : 's'}`;
    const sent = request.websocket?.incremental
      ? `only what is new since step ${index} (${items})`
      : `the whole input (${items})`;
    console.log(
      `step ${index + 1} over ${request.transport === 'websocket' ? 'the WebSocket' : 'SSE'}: ${sent}`,
    );
  }
} finally {
  await emulator.close();
}
