import { createCodex } from 'ai-sdk-provider-codex';
import { auth } from './codex-auth';

/** `CODEX_BASE_URL` (e.g. the emulator) is read by the provider itself. */
export const codex = createCodex({ auth });

export const MODEL_ID = process.env.CODEX_MODEL || 'gpt-5.5';
