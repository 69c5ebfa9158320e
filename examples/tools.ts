/**
 * A multi-step tool loop: the model calls a tool, the AI SDK runs it and sends the result back,
 * and the model answers. Reasoning and tool calls of each step are replayed to the next one.
 *
 *   npm run build
 *   npx tsx examples/tools.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/tools.ts   # offline, against the emulator
 */
import { stepCountIs, streamText, tool } from 'ai';
import { functionCallTurn, textTurn } from 'ai-sdk-provider-codex/testing';
import { z } from 'zod/v4';
import { exampleProvider } from './example-provider';

const { codex, close } = await exampleProvider(() => [
  functionCallTurn(
    [
      { name: 'weather', arguments: { city: 'Paris' } },
      { name: 'weather', arguments: { city: 'Tokyo' } },
    ],
    { reasoning: 'I should look up both cities.' },
  ),
  textTurn('Paris is at 18 °C and Tokyo at 24 °C: Tokyo is warmer.'),
]);

const weather = tool({
  description: 'The current temperature of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, temperatureC: city === 'Paris' ? 18 : 24 }),
});

try {
  const result = streamText({
    model: codex('gpt-5.5'),
    prompt: 'Which is warmer right now, Paris or Tokyo?',
    tools: { weather },
    stopWhen: stepCountIs(5),
  });

  for await (const part of result.fullStream) {
    if (part.type === 'tool-call') console.log(`→ ${part.toolName}(${JSON.stringify(part.input)})`);
    if (part.type === 'tool-result') console.log(`← ${JSON.stringify(part.output)}`);
    if (part.type === 'text-delta') process.stdout.write(part.text);
  }
  process.stdout.write('\n');
  console.log('steps:', (await result.steps).length);
} finally {
  await close();
}
