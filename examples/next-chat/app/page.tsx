'use client';

import { useChat } from '@ai-sdk/react';
import { type FormEvent, useState } from 'react';
import type { ChatMessage } from '@/lib/tools';

type WeatherPart = Extract<ChatMessage['parts'][number], { type: 'tool-weather' }>;

export default function ChatPage() {
  const { messages, sendMessage, status, error } = useChat<ChatMessage>();
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = input.trim();
    if (text === '' || busy) return;
    sendMessage({ text });
    setInput('');
  }

  return (
    <main>
      <h1>Codex chat</h1>
      <ol className="messages">
        {messages.map(message => (
          <li key={message.id} className="message" data-role={message.role}>
            {message.parts.map((part, index) => {
              switch (part.type) {
                case 'text':
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts have no id and never move.
                  return <p key={index}>{part.text}</p>;
                case 'tool-weather':
                  return <WeatherCall key={part.toolCallId} part={part} />;
                default:
                  return null;
              }
            })}
          </li>
        ))}
      </ol>
      {error != null && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <form onSubmit={submit}>
        <input
          aria-label="Message"
          placeholder="Ask about the weather in a city…"
          value={input}
          onChange={event => setInput(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          Send
        </button>
      </form>
    </main>
  );
}

function WeatherCall({ part }: { part: WeatherPart }) {
  const city = part.input?.city ?? '…';
  return (
    <div className="tool-call" data-testid="tool-call" data-tool="weather" data-state={part.state}>
      {part.state === 'output-available' ? (
        <>
          Weather in {part.output.city}: {part.output.temperatureC} °C, {part.output.conditions}
        </>
      ) : part.state === 'output-error' ? (
        <>
          Weather lookup for {city} failed: {part.errorText}
        </>
      ) : (
        <>Looking up the weather in {city}…</>
      )}
    </div>
  );
}
