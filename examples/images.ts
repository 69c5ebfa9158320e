/**
 * Images in the prompt as file parts (bytes, base64 or a URL; the AI SDK downloads URLs and sends the bytes).
 *
 *   npm run build
 *   npx tsx examples/images.ts                    # with your ChatGPT login (`codex login`)
 *   CODEX_EMULATOR=1 npx tsx examples/images.ts   # offline, against the emulator
 */
import { generateText } from 'ai';
import { textTurn } from 'ai-sdk-provider-codex/testing';
import { exampleProvider } from './example-provider';

// A 2×2 PNG: red, green / blue, white.
const image = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAAMIM/////w8AH+4F+7C4l8kAAAAASUVORK5CYII=',
  'base64',
);

const { codex, close } = await exampleProvider(() => [
  textTurn('A tiny 2×2 image with red, green, blue and white pixels.'),
]);

try {
  const result = await generateText({
    model: codex('gpt-5.5'),
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe this image.' },
          { type: 'file', data: image, mediaType: 'image/png' },
        ],
      },
    ],
  });

  console.log(result.text);
} finally {
  await close();
}
