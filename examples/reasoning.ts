/**
 * Reasoning: choose the effort and stream the reasoning summary apart from the answer.
 *
 *   npm run build
 *   npx tsx examples/reasoning.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/reasoning.ts   # offline, against the emulator
 */
import { streamText } from 'ai';
import { reasoningTurn } from 'ai-sdk-provider-codex/testing';
import { exampleProvider } from './example-provider';

const { codex, close } = await exampleProvider(() => [
  reasoningTurn(
    ['**Setting up the equation**\n\nThe ball costs x and the bat x + 1, so 2x + 1 = 1.10.'],
    'The ball costs $0.05.',
  ),
]);

try {
  const result = streamText({
    model: codex('gpt-5.5'),
    prompt:
      'A bat and a ball cost $1.10 in total. The bat costs $1 more than the ball. What does the ball cost?',
    // Or providerOptions: { codex: { reasoningEffort: 'high', reasoningSummary: 'detailed' } }
    reasoning: 'high',
  });

  let section = '';
  for await (const part of result.fullStream) {
    if (part.type === 'reasoning-delta' || part.type === 'text-delta') {
      const next = part.type === 'reasoning-delta' ? 'Reasoning' : 'Answer';
      if (next !== section) {
        process.stdout.write(`${section ? '\n\n' : ''}[${next}]\n`);
        section = next;
      }
      process.stdout.write(part.text);
    }
  }
  process.stdout.write('\n');
  console.log('reasoning tokens:', (await result.usage).outputTokenDetails.reasoningTokens);
} finally {
  await close();
}
