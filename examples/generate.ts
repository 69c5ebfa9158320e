/**
 * Generate text with a Codex model.
 *
 *   npm run build
 *   npx tsx examples/generate.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/generate.ts   # offline, against the emulator
 */
import { generateText } from 'ai';
import { textTurn } from 'ai-sdk-provider-codex/testing';
import { exampleProvider } from './example-provider';

const { codex, close } = await exampleProvider(() => [
  textTurn('Rust gives you memory safety without a garbage collector, and fearless concurrency.'),
]);

try {
  const result = await generateText({
    model: codex('gpt-5.5'),
    system: 'Answer in one sentence.',
    prompt: 'Why do people like Rust?',
  });

  console.log(result.text);
  console.log('tokens:', result.usage.totalTokens);
  console.log('rate limits:', JSON.stringify(result.providerMetadata?.codex?.rateLimits));
} finally {
  await close();
}
