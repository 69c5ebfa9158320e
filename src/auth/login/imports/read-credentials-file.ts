import { readFile } from 'node:fs/promises';
import { safeParseJSON } from '@ai-sdk/provider-utils';
import type { z } from 'zod/v4';
import { CodexAuthError } from '../../codex-auth-error';

/**
 * Reads and validates another tool's JSON credentials file. Errors name the file and say what to do; they
 * never quote its content.
 */
export async function readCredentialsFile<T>({
  path,
  source,
  schema,
  missingHint,
}: {
  path: string;
  source: string;
  schema: z.ZodType<T>;
  missingHint: string;
}): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new CodexAuthError({ reason: 'missing', source, message: `does not exist. ${missingHint}` });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CodexAuthError({
        reason: 'permission-denied',
        source,
        message: 'cannot be read (permission denied). Run the import as the user who owns the file.',
      });
    }
    throw error;
  }
  const parsed = await safeParseJSON({ text, schema });
  if (!parsed.success) {
    const isJson = (await safeParseJSON({ text })).success;
    throw new CodexAuthError({
      reason: 'malformed',
      source,
      message: isJson
        ? 'does not have the expected structure. Check the path, or log in again with that tool.'
        : `is not valid JSON${text.trim() === '' ? ' (it is empty)' : ''}. Check the path, or log in again with that tool.`,
    });
  }
  return parsed.value;
}
