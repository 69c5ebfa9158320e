// `npm run dev:emulator`: this app against the Codex emulator, with no ChatGPT account and no network.
// The emulator plays the model: a question about the weather in a city gets a call of the weather tool, and
// the tool's result gets a sentence about it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionCallTurn, startCodexEmulator, textTurn } from 'ai-sdk-provider-codex/testing';

const emulator = await startCodexEmulator();
const codexHome = await mkdtemp(join(tmpdir(), 'next-chat-emulator-'));
await writeFile(join(codexHome, 'auth.json'), JSON.stringify(emulator.authJson(await emulator.login())), {
  mode: 0o600,
});

function reply(request) {
  // Each queued answer serves one request: queue this one again for the next.
  emulator.enqueue(reply);
  const input = Array.isArray(request.body?.input) ? request.body.input : [];
  const last = input.at(-1);
  if (last?.type === 'function_call_output') {
    const weather = JSON.parse(last.output);
    return textTurn(`It is ${weather.temperatureC} °C and ${weather.conditions} in ${weather.city}.`, {
      delayMs: 40,
    });
  }
  const said = typeof last?.content === 'string' ? last.content : (last?.content?.[0]?.text ?? '');
  const city = said.match(/weather (?:in|for) ([\p{L} .'-]+?)[?.!]*$/iu)?.[1];
  if (city != null) return functionCallTurn({ name: 'weather', arguments: { city } });
  return textTurn('Hello from the Codex emulator! Ask me about the weather in a city to see a tool call.', {
    delayMs: 40,
  });
}
emulator.enqueue(reply);

const proxyKey = process.env.CODEX_PROXY_API_KEY || 'dev-proxy-key';
const next = spawn('next', ['dev', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    CODEX_BASE_URL: emulator.baseURL,
    CODEX_HOME: codexHome,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: emulator.tokenURL,
    CODEX_PROXY_API_KEY: proxyKey,
  },
});
console.log(`Codex emulator on ${emulator.url}; the proxy route takes the API key "${proxyKey}".`);

// Ctrl-C reaches `next dev` too; it exits, and then the emulator and its login go.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => next.kill(signal));
next.once('exit', async code => {
  await emulator.close();
  await rm(codexHome, { recursive: true, force: true });
  process.exit(code ?? 0);
});
