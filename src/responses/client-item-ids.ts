import type { CodexInputItem } from './codex-request';
import { sha256Hex, uuidFromDigest } from './digest';

// The prefixes the Codex CLI gives the items it creates itself; items the model produced (reasoning,
// tool calls) are replayed without an id, as there is nothing to look them up in with `store:false`.
const idPrefixes: Partial<Record<CodexInputItem['type'], string>> = {
  additional_tools: 'at',
  message: 'msg',
  function_call_output: 'fco',
  custom_tool_call_output: 'ctco',
};

/**
 * Gives input items client ids (`msg_<uuid>`, `at_<uuid>`, …) as the Codex CLI does. The CLI keeps
 * the ids of its history; a stateless caller resends the history, so each id is derived from the
 * item and everything before it: the same history gets the same ids on every step and every turn,
 * and the cached prompt prefix stays byte-identical. Synchronous on Node.js, a promise elsewhere.
 */
export function assignClientItemIds(input: CodexInputItem[]): CodexInputItem[] | Promise<CodexInputItem[]> {
  const withIds: CodexInputItem[] = [];
  let chain = '';
  for (const [index, item] of input.entries()) {
    const digest = sha256Hex(chain + JSON.stringify(item));
    if (typeof digest !== 'string') return assignAsync(input, withIds, chain, index, digest);
    chain = digest;
    withIds.push(withId(item, digest));
  }
  return withIds;
}

async function assignAsync(
  input: CodexInputItem[],
  withIds: CodexInputItem[],
  chain: string,
  start: number,
  pending: Promise<string>,
): Promise<CodexInputItem[]> {
  let digest = await pending;
  for (let index = start; index < input.length; index++) {
    const item = input[index]!;
    if (index > start) digest = await sha256Hex(chain + JSON.stringify(item));
    chain = digest;
    withIds.push(withId(item, digest));
  }
  return withIds;
}

function withId(item: CodexInputItem, digest: string): CodexInputItem {
  const prefix = idPrefixes[item.type];
  if (prefix == null) return item;
  // `type` first and `id` second, as the CLI serializes them.
  return Object.assign({ type: item.type, id: `${prefix}_${uuidFromDigest(digest)}` }, item);
}
