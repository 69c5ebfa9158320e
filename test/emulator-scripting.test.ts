import { describe, expect, it } from 'vitest';
import {
  customToolCallTurn,
  dropConnection,
  failedTurn,
  functionCallTurn,
  httpError,
  incompleteTurn,
  reasoningTurn,
  stallConnection,
  textTurn,
  webSearchTurn,
} from '../src/testing';
import { authHeaders, postResponses, responsesBody, useEmulatorWithLogin } from './support/emulator-requests';
import { parseSse, parseSseJson } from './support/sse';

const ctx = useEmulatorWithLogin();

type Event = Record<string, unknown> & { type: string };
const item = (e: Event) => e.item as Record<string, unknown>;

async function turnEvents(): Promise<Event[]> {
  const response = await postResponses(ctx.emulator, ctx.login, responsesBody());
  expect(response.status).toBe(200);
  return parseSseJson(await response.text());
}

/** Reads a body until it ends or fails; returns what arrived, the number of reads and the failure. */
async function readAll(response: Response): Promise<{ text: string; reads: number; error?: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, reads };
      reads += 1;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, reads, error };
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5));
}

describe('turn builders', () => {
  it('textTurn: created, in_progress, message item with deltas, completed with usage', async () => {
    ctx.emulator.enqueue(
      textTurn('Hello there, world', { usage: { inputTokens: 100, cachedTokens: 64, outputTokens: 7 } }),
    );
    const events = await turnEvents();
    expect(events.map(e => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.filter(e => e.type === 'response.output_text.delta').map(e => e.delta)).toEqual([
      'Hello',
      ' there,',
      ' world',
    ]);
    const added = item(events[2]!);
    const done = item(events[9]!);
    expect(added).toMatchObject({ type: 'message', status: 'in_progress', role: 'assistant', content: [] });
    expect(done).toMatchObject({
      id: added.id,
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hello there, world' }],
    });
    expect(events.slice(2, 10).every(e => e.output_index === 0)).toBe(true);
    const completed = events.at(-1)!.response as Record<string, unknown>;
    expect(completed.status).toBe('completed');
    expect(completed.output).toEqual([done]);
    expect(completed.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 107,
    });
  });

  it('reasoningTurn: summary parts streamed, encrypted_content on the reasoning item, then text', async () => {
    ctx.emulator.enqueue(reasoningTurn(['**Plan**\n\nThink first.', 'Then answer.'], 'Answer.'));
    const events = await turnEvents();
    const reasoningEvents = events.filter(e => e.output_index === 0).map(e => e.type);
    expect(reasoningEvents[0]).toBe('response.output_item.added');
    expect(reasoningEvents.at(-1)).toBe('response.output_item.done');
    expect(reasoningEvents.filter(t => t === 'response.reasoning_summary_part.added')).toHaveLength(2);
    expect(
      events
        .filter(e => e.type === 'response.reasoning_summary_text.done')
        .map(e => [e.summary_index, e.text]),
    ).toEqual([
      [0, '**Plan**\n\nThink first.'],
      [1, 'Then answer.'],
    ]);
    const reasoningDone = events.find(
      e => e.type === 'response.output_item.done' && item(e).type === 'reasoning',
    )!;
    expect(item(reasoningDone)).toMatchObject({
      id: expect.stringMatching(/^rs_/),
      encrypted_content: expect.stringMatching(/^gAAAA/),
      summary: [
        { type: 'summary_text', text: '**Plan**\n\nThink first.' },
        { type: 'summary_text', text: 'Then answer.' },
      ],
    });
    const usage = (
      events.at(-1)!.response as { usage: { output_tokens_details: { reasoning_tokens: number } } }
    ).usage;
    expect(usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(events.filter(e => e.output_index === 1).some(e => e.type === 'response.output_text.delta')).toBe(
      true,
    );
  });

  it('functionCallTurn: parallel calls with arguments streamed as deltas', async () => {
    ctx.emulator.enqueue(
      functionCallTurn([
        { name: 'weather', arguments: { city: 'Paris', unit: 'celsius' }, callId: 'call_a' },
        { name: 'weather', arguments: '{"city":"Oslo"}' },
      ]),
    );
    const events = await turnEvents();
    for (const outputIndex of [0, 1]) {
      const own = events.filter(e => e.output_index === outputIndex);
      const added = item(own[0]!);
      const done = item(own.at(-1)!);
      expect(added).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '' });
      const deltas = own.filter(e => e.type === 'response.function_call_arguments.delta');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.every(e => e.item_id === added.id)).toBe(true);
      const argumentsDone = own.find(e => e.type === 'response.function_call_arguments.done')!;
      expect(deltas.map(e => e.delta).join('')).toBe(argumentsDone.arguments);
      expect(done).toMatchObject({
        status: 'completed',
        arguments: argumentsDone.arguments,
        call_id: added.call_id,
      });
    }
    const calls = (events.at(-1)!.response as { output: Array<Record<string, unknown>> }).output;
    expect(
      calls.map(c => [c.call_id === 'call_a' ? 'call_a' : 'generated', JSON.parse(String(c.arguments))]),
    ).toEqual([
      ['call_a', { city: 'Paris', unit: 'celsius' }],
      ['generated', { city: 'Oslo' }],
    ]);
    expect(String(calls[1]?.call_id)).toMatch(/^call_[A-Za-z0-9]{24}$/);
  });

  it('customToolCallTurn: freeform input streamed and done', async () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hello\n*** End Patch\n';
    ctx.emulator.enqueue(customToolCallTurn({ name: 'apply_patch', input: patch }));
    const events = await turnEvents();
    const deltas = events.filter(e => e.type === 'response.custom_tool_call_input.delta');
    expect(deltas.map(e => e.delta).join('')).toBe(patch);
    const done = events.find(e => e.type === 'response.output_item.done')!;
    expect(item(done)).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: patch,
      status: 'completed',
    });
  });

  it('webSearchTurn: a web_search_call, then text with url_citation annotations', async () => {
    const text = 'Paris is the capital of France. Oslo is the capital of Norway.';
    ctx.emulator.enqueue(
      webSearchTurn({
        query: 'capitals',
        text,
        citations: [
          { url: 'https://example.com/paris', title: 'Paris', startIndex: 0, endIndex: 31 },
          { url: 'https://example.com/oslo', title: 'Oslo', startIndex: 32, endIndex: text.length },
        ],
      }),
    );
    const events = await turnEvents();
    const search = events.filter(e => e.output_index === 0).map(e => e.type);
    expect(search).toEqual([
      'response.output_item.added',
      'response.web_search_call.in_progress',
      'response.web_search_call.searching',
      'response.web_search_call.completed',
      'response.output_item.done',
    ]);
    const searchDone = item(events.find(e => e.type === 'response.output_item.done')!);
    expect(searchDone.action).toEqual({
      type: 'search',
      query: 'capitals',
      sources: [
        { type: 'url', url: 'https://example.com/paris' },
        { type: 'url', url: 'https://example.com/oslo' },
      ],
    });
    const annotations = events.filter(e => e.type === 'response.output_text.annotation.added');
    expect(annotations.map(e => [e.annotation_index, (e.annotation as { url: string }).url])).toEqual([
      [0, 'https://example.com/paris'],
      [1, 'https://example.com/oslo'],
    ]);
    // Each annotation follows the delta that completes the text it cites.
    const firstAnnotation = events.indexOf(annotations[0]!);
    const textSoFar = events
      .slice(0, firstAnnotation)
      .filter(e => e.type === 'response.output_text.delta')
      .map(e => e.delta)
      .join('');
    expect(textSoFar.length).toBeGreaterThanOrEqual(31);
    expect(textSoFar.length).toBeLessThan(text.length);
    const message = (
      events.at(-1)!.response as { output: Array<{ content?: Array<{ annotations: unknown[] }> }> }
    ).output[1];
    expect(message?.content?.[0]?.annotations).toHaveLength(2);
  });

  it('failedTurn ends with response.failed carrying the error', async () => {
    ctx.emulator.enqueue(
      failedTurn({ code: 'context_length_exceeded', message: 'Your input exceeds the context window.' }),
    );
    const events = await turnEvents();
    expect(events.map(e => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(events[2]!.response).toMatchObject({
      status: 'failed',
      error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window.' },
    });
  });

  it('incompleteTurn ends with response.incomplete and its reason after partial text', async () => {
    ctx.emulator.enqueue(incompleteTurn('max_output_tokens', { text: 'Partial' }));
    const events = await turnEvents();
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
    expect(events.some(e => e.type === 'response.output_text.delta' && e.delta === 'Partial')).toBe(true);
  });

  it('frames events as `event: <type>` + `data: <json>`, and sends raw events and request-dependent scripts', async () => {
    ctx.emulator.enqueue(
      { type: 'events', events: [{ type: 'response.created', response: { id: 'resp_raw' } }] },
      request => textTurn(`model was ${(request.body as { model: string }).model}`),
    );
    const raw = parseSse(await (await postResponses(ctx.emulator, ctx.login, responsesBody())).text());
    expect(raw).toEqual([
      { event: 'response.created', data: '{"type":"response.created","response":{"id":"resp_raw"}}' },
    ]);
    const events = parseSseJson(await (await postResponses(ctx.emulator, ctx.login, responsesBody())).text());
    expect(events.find(e => e.type === 'response.output_text.done')?.text).toBe('model was gpt-5.5');
  });

  it('keeps scripted turns for requests that pass auth and validation', async () => {
    ctx.emulator.enqueue(textTurn('kept'));
    const rejected = await postResponses(ctx.emulator, ctx.login, responsesBody({ store: true }));
    expect(rejected.status).toBe(400);
    await rejected.text();
    expect(ctx.emulator.pendingResponses).toBe(1);
    const events = await turnEvents();
    expect(events.find(e => e.type === 'response.output_text.done')?.text).toBe('kept');
  });
});

describe('stream controls and faults', () => {
  it('paces events with delayMs (the stream arrives in several reads)', async () => {
    ctx.emulator.enqueue(textTurn('one two three four', { delayMs: 20 }));
    const response = await postResponses(ctx.emulator, ctx.login, responsesBody());
    const { text, reads } = await readAll(response);
    expect(reads).toBeGreaterThan(3);
    expect(parseSseJson(text).at(-1)?.type).toBe('response.completed');
  });

  it('drops the connection mid-stream after the given number of events', async () => {
    ctx.emulator.enqueue(textTurn('never finished', { dropAfter: 4 }));
    const response = await postResponses(ctx.emulator, ctx.login, responsesBody());
    expect(response.status).toBe(200);
    const { text, error } = await readAll(response);
    expect(error).toBeDefined();
    expect(parseSseJson(text).map(e => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(ctx.emulator.counters.completedStreams).toBe(0);

    const next = await turnEvents();
    expect(next.at(-1)?.type).toBe('response.completed');
  });

  it('stalls a stream after the given number of events until the client gives up', async () => {
    ctx.emulator.enqueue(textTurn('stuck', { stallAfter: 2 }));
    const controller = new AbortController();
    const response = await postResponses(ctx.emulator, ctx.login, responsesBody(), {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (parseSse(text).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(parseSseJson(text).map(e => e.type)).toEqual(['response.created', 'response.in_progress']);
    expect((await turnEvents()).at(-1)?.type).toBe('response.completed');
  });

  it('lets a stalled request hang until the emulator closes', async () => {
    ctx.emulator.enqueue(stallConnection());
    const pending = postResponses(ctx.emulator, ctx.login, responsesBody());
    await waitFor(() => ctx.emulator.requestsTo('responses').length === 1);
    await ctx.emulator.close();
    await expect(pending).rejects.toThrow();
  });

  it('applies faults to the next N requests before any other check', async () => {
    ctx.emulator.fault(dropConnection(), { times: 2 });
    ctx.emulator.enqueue(textTurn('after the faults'));
    await expect(postResponses(ctx.emulator, ctx.login, responsesBody())).rejects.toThrow();
    await expect(
      postResponses(ctx.emulator, { ...ctx.login, accessToken: 'bad' }, responsesBody()),
    ).rejects.toThrow();
    const events = await turnEvents();
    expect(events.find(e => e.type === 'response.output_text.done')?.text).toBe('after the faults');
    expect(ctx.emulator.counters.requests.responses).toBe(3);
  });

  it('answers scripted HTTP errors with rate-limit headers, on any route', async () => {
    ctx.emulator.enqueue(httpError(500, { detail: 'Internal server error' }));
    const failed = await postResponses(ctx.emulator, ctx.login, responsesBody());
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ detail: 'Internal server error' });
    expect(failed.headers.get('x-codex-primary-used-percent')).not.toBeNull();

    ctx.emulator.fault(httpError(503, { detail: 'busy' }), { route: '*', times: 1 });
    const models = await fetch(`${ctx.emulator.baseURL}/models?client_version=0.171.0`, {
      headers: authHeaders(ctx.login),
    });
    expect(models.status).toBe(503);
    await models.text();
    const ok = await fetch(`${ctx.emulator.baseURL}/models?client_version=0.171.0`, {
      headers: authHeaders(ctx.login),
    });
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('forgets requests, counters and scripts on reset()', async () => {
    ctx.emulator.enqueue(textTurn('dropped by reset'));
    await (await fetch(`${ctx.emulator.url}/nowhere`)).text();
    expect(ctx.emulator.counters.requests.not_found).toBe(1);
    ctx.emulator.reset();
    expect(ctx.emulator.requests).toHaveLength(0);
    expect(ctx.emulator.counters.requests.not_found).toBe(0);
    expect(ctx.emulator.pendingResponses).toBe(0);
  });
});
