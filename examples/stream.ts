/**
 * Stream text as it is generated.
 *
 *   npm run build
 *   npx tsx examples/stream.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/stream.ts   # offline, against the emulator
 */
import { streamText } from 'ai';
import { textTurn } from 'ai-sdk-provider-codex/testing';
import { exampleProvider } from './example-provider';

const { codex, close } = await exampleProvider(() => [
  textTurn('The tide climbs the sand,\nmoonlight folding into foam,\nthe shore keeps its breath.', {
    delayMs: 40,
  }),
]);

try {
  const result = streamText({
    model: codex('gpt-5.5'),
    prompt: 'Write a haiku about the sea.',
  });

  for await (const text of result.textStream) process.stdout.write(text);
  process.stdout.write('\n');
  console.log('finish reason:', await result.finishReason);
} finally {
  await close();
}
