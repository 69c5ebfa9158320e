import { respondToChat } from '@/lib/chat';
import { codex, MODEL_ID } from '@/lib/codex';

export async function POST(request: Request) {
  return respondToChat(request, codex(MODEL_ID));
}
