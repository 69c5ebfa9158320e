/**
 * Structured output: the answer is parsed and validated against a zod schema.
 *
 *   npm run build
 *   npx tsx examples/structured-output.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/structured-output.ts   # offline, against the emulator
 */
import { generateText, Output } from 'ai';
import { textTurn } from 'ai-sdk-provider-codex/testing';
import { z } from 'zod/v4';
import { exampleProvider } from './example-provider';

const recipe = z.object({
  name: z.string(),
  servings: z.number(),
  ingredients: z.array(z.object({ item: z.string(), amount: z.string() })),
  // Nullable rather than optional keeps the schema strict (see the README on strictJsonSchema).
  tip: z.string().nullable(),
});

const { codex, close } = await exampleProvider(() => [
  textTurn(
    JSON.stringify({
      name: 'Crêpes',
      servings: 4,
      ingredients: [
        { item: 'flour', amount: '250 g' },
        { item: 'eggs', amount: '4' },
        { item: 'milk', amount: '500 ml' },
      ],
      tip: 'Rest the batter for an hour.',
    }),
  ),
]);

try {
  const { output } = await generateText({
    model: codex('gpt-5.5'),
    output: Output.object({ schema: recipe }),
    prompt: 'A simple crêpe recipe.',
  });

  console.log(output.name, `(serves ${output.servings})`);
  for (const { item, amount } of output.ingredients) console.log(`- ${amount} ${item}`);
  if (output.tip) console.log('Tip:', output.tip);
} finally {
  await close();
}
