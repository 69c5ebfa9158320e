import { generateText } from 'ai';
import { createCodex } from '../../src/codex-provider';

// Runs one call with the default transport (the WebSocket, in Node.js) and returns: the process must then
// exit by itself, though the connection stays open for the next call of the conversation.
const codex = createCodex({
  baseURL: process.env.CODEX_BASE_URL,
  auth: { accessToken: process.env.CODEX_ACCESS_TOKEN!, accountId: process.env.CODEX_ACCOUNT_ID! },
});
const result = await generateText({ model: codex('gpt-5.5'), prompt: 'Say hello' });
console.log(JSON.stringify({ status: 0, text: result.text }));
