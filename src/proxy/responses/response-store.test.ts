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
    store.remember({ id: 'resp_1', output: [message('msg_1', big)] }, []);
    store.remember({ id: 'resp_2', output: [message('msg_2', big)] }, []);
    store.remember({ id: 'resp_3', output: [message('msg_3', big)] }, []);
    store.remember({ id: 'resp_4', output: [message('msg_4', big)] }, []);

    expect(() => store.resolveInput([], 'resp_1')).toThrow(/not found/);
    expect(() => store.resolveInput([{ type: 'item_reference', id: 'msg_1' }])).toThrow(
      /Item with id 'msg_1' not found/,
    );
    expect(store.resolveInput([{ type: 'item_reference', id: 'msg_4' }])).toEqual([message('msg_4', big)]);
    expect(store.resolveInput([], 'resp_4')).toEqual([message('msg_4', big)]);
  });

  it('keeps an item reachable while a newer response that repeated it is remembered', () => {
    const store = new ResponseStore(1300);
    const first = message('msg_1', 'a'.repeat(300));
    store.remember({ id: 'resp_1', output: [first] }, []);
    store.remember({ id: 'resp_2', output: [message('msg_2', 'b'.repeat(300))] }, [first]);
    store.remember({ id: 'resp_3', output: [message('msg_3', 'c'.repeat(300))] }, []);

    expect(() => store.resolveInput([], 'resp_1')).toThrow(/not found/);
    expect(store.resolveInput([{ type: 'item_reference', id: 'msg_1' }])).toEqual([first]);
  });

  it('gives input items without an id one, the same on every listing, and forgets a deleted response', () => {
    const store = new ResponseStore();
    const question = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] };
    const call = { type: 'function_call_output', call_id: 'call_1', output: '42' };
    store.remember({ id: 'resp_1', object: 'response', output: [message('msg_1', 'Hello')] }, [
      message('msg_0', 'Earlier'),
      question,
      call,
    ]);

    const items = store.inputItems('resp_1');
    expect(items?.map(item => item.id)).toEqual([
      'msg_0',
      expect.stringMatching(/^msg_/),
      expect.stringMatching(/^item_/),
    ]);
    expect(store.inputItems('resp_1')).toEqual(items);
    expect(items?.[1]).toEqual({ id: items?.[1]?.id, ...question });
    expect(store.get('resp_1')).toMatchObject({ id: 'resp_1', object: 'response' });

    expect(store.delete('resp_1')).toBe(true);
    expect(store.delete('resp_1')).toBe(false);
    expect(store.get('resp_1')).toBeUndefined();
    expect(store.inputItems('resp_1')).toBeUndefined();
    expect(() => store.resolveInput([{ type: 'item_reference', id: 'msg_1' }])).toThrow(/not found/);
  });
});
