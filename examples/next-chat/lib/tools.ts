import { type InferUITools, tool, type UIDataTypes, type UIMessage } from 'ai';
import { z } from 'zod';

const CONDITIONS = ['sunny', 'cloudy', 'rainy', 'windy', 'snowy'] as const;

/** The tools the chat model may call. The weather is made up, and stable for a city, so runs are repeatable. */
export const tools = {
  weather: tool({
    description: 'Get the current weather in a city',
    inputSchema: z.object({ city: z.string().describe('The city, e.g. Paris') }),
    execute: async ({ city }) => {
      const seed = [...city.toLowerCase()].reduce((sum, char) => sum + char.charCodeAt(0), 0);
      return {
        city,
        temperatureC: (seed % 30) - 5,
        conditions: CONDITIONS[seed % CONDITIONS.length],
      };
    },
  }),
};

/** The messages of this chat, typed by its tools, for `useChat` on the page. */
export type ChatMessage = UIMessage<never, UIDataTypes, InferUITools<typeof tools>>;
