/**
 * Switch between the ChatGPT subscription and the paid API by changing a string: the Codex
 * provider in an AI SDK provider registry next to @ai-sdk/openai.
 *
 *   npm run build
 *   npx tsx examples/registry.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/registry.ts   # offline, against the emulator
 *   MODEL=openai:gpt-5.5 npx tsx examples/registry.ts   # the paid API (needs OPENAI_API_KEY)
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createProviderRegistry, generateText } from 'ai';
import { textTurn } from 'ai-sdk-provider-codex/testing';
import { exampleProvider } from './example-provider';

const { codex, close } = await exampleProvider(() => [textTurn('Hello from your ChatGPT subscription.')]);

const registry = createProviderRegistry({ codex, openai: createOpenAI() });
const modelId = (process.env.MODEL ?? 'codex:gpt-5.5') as `codex:${string}` | `openai:${string}`;

try {
  const { text } = await generateText({ model: registry.languageModel(modelId), prompt: 'Say hello.' });
  console.log(`${modelId}: ${text}`);
} finally {
  await close();
}
