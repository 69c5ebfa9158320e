import { generateText, stepCountIs, type Tool } from 'ai';
import type { createCodex } from '../../src/codex-provider';
import { type CodexEmulator, functionCallItem, textTurn, turn } from '../../src/testing';

/**
 * Two turns through `generateText`: a three-step tool loop whose first two responses carry the turn states
 * `turn-1` and `later`, then a new user message. The requests the emulator saw show which token each step
 * sent back (a turn keeps its first one, as the Codex CLI does; a new turn sends none).
 */
export async function runTwoTurnsWithTurnState(
  codex: ReturnType<typeof createCodex>,
  emulator: CodexEmulator,
  weather: Tool,
): Promise<void> {
  emulator.enqueue(
    turn([functionCallItem('weather', { city: 'Paris' })], { headers: { 'x-codex-turn-state': 'turn-1' } }),
    turn([functionCallItem('weather', { city: 'Rome' })], { headers: { 'x-codex-turn-state': 'later' } }),
    textTurn('Mild in both.'),
    textTurn('You are welcome.'),
  );
  const first = await generateText({
    model: codex('gpt-5.5'),
    prompt: 'Weather in Paris and Rome?',
    tools: { weather },
    stopWhen: stepCountIs(3),
  });
  await generateText({
    model: codex('gpt-5.5'),
    messages: [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      ...first.response.messages,
      { role: 'user', content: 'Thanks!' },
    ],
    tools: { weather },
  });
}
