import { describe, expect, it } from 'vitest';
import { ResponseStore } from './response-store';

const message = (id: string, text: string) => ({
  type: 'message',
  id,
  role: 'assistant',
  content: [{ type: 'output_text', text }],
});

describe('ResponseStore', () => {
  it('forgets the oldest responses, and their items, once it holds more than its budget', () => {
    const big = 'x'.repeat(400);
    const store = new ResponseStore(1200);
    store.remember('resp_1', [], [message('msg_1', big)]);
    store.remember('resp_2', [], [message('msg_2', big)]);
    store.remember('resp_3', [], [message('msg_3', big)]);
    store.remember('resp_4', [], [message('msg_4', big)]);

    expect(() => store.resolveInput([], 'resp_1')).toThrow(/not found/);
    expect(() => store.resolveInput([{ type: 'item_reference', id: 'msg_1' }])).toThrow(
      /Item with id 'msg_1' not found/,
    );
    expect(store.resolveInput([{ type: 'item_reference', id: 'msg_4' }])).toEqual([message('msg_4', big)]);
    expect(store.resolveInput([], 'resp_4')).toEqual([message('msg_4', big)]);
  });

  it('keeps an item reachable while a newer response that repeated it is remembered', () => {
    const store = new ResponseStore(1200);
    const first = message('msg_1', 'a'.repeat(300));
    store.remember('resp_1', [], [first]);
    store.remember('resp_2', [first], [message('msg_2', 'b'.repeat(300))]);
    store.remember('resp_3', [], [message('msg_3', 'c'.repeat(300))]);

    expect(() => store.resolveInput([], 'resp_1')).toThrow(/not found/);
    expect(store.resolveInput([{ type: 'item_reference', id: 'msg_1' }])).toEqual([first]);
  });
});
