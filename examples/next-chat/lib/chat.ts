import type { LanguageModel } from 'ai';
import { convertToModelMessages, isStepCount, streamText, validateUIMessages } from 'ai';
import { z } from 'zod';
import { type ChatMessage, tools } from './tools';

const requestSchema = z.object({ messages: z.array(z.unknown()) });

/**
 * Answers one `useChat` request: streams the model's reply, running the tools and going back to the model
 * with their results (up to five steps).
 */
export async function respondToChat(request: Request, model: LanguageModel): Promise<Response> {
  const body = requestSchema.safeParse(await request.json().catch(() => undefined));
  if (!body.success) {
    return Response.json(
      { error: 'Expected a JSON body with `messages`, as useChat sends.' },
      { status: 400 },
    );
  }
  const messages = await validateUIMessages<ChatMessage>({ messages: body.data.messages, tools });

  const result = streamText({
    model,
    system: 'You are a concise assistant. Use the weather tool for questions about the weather.',
    messages: await convertToModelMessages(messages, { tools }),
    tools,
    stopWhen: isStepCount(5),
    abortSignal: request.signal,
  });

  return result.toUIMessageStreamResponse({
    originalMessages: messages,
    // The provider's messages say what to do (log in again, wait for the usage limit) and never hold tokens.
    onError: error => (error instanceof Error ? error.message : String(error)),
  });
}
