/** The small HTML pages a person sees during an emulated login. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;line-height:1.5}
button,input{font-size:1rem;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
<p><small>Codex emulator — no real account is involved.</small></p>
</body></html>`;
}

/** The consent page of `GET /oauth/authorize`; its buttons post the decision. */
export function consentPage(options: {
  requestId: string;
  email: string;
  scope: string;
  action: string;
}): string {
  return page(
    'Sign in to Codex with ChatGPT',
    `<p>Codex wants to use your ChatGPT account <strong>${escapeHtml(options.email)}</strong>.</p>
<p>Requested access: <code>${escapeHtml(options.scope)}</code></p>
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="request_id" value="${escapeHtml(options.requestId)}">
<button type="submit" name="decision" value="approve" id="approve">Continue</button>
<button type="submit" name="decision" value="deny" id="deny">Cancel</button>
</form>`,
  );
}

/** `GET /codex/device`: where a person types the code shown by a device-code login. */
export function deviceCodePage(options: { action: string; userCode?: string; message?: string }): string {
  return page(
    'Connect a device to Codex',
    `${options.message ? `<p role="status">${escapeHtml(options.message)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<label for="user_code">Code shown on your device</label><br>
<input id="user_code" name="user_code" autocomplete="off" value="${escapeHtml(options.userCode ?? '')}" required>
<button type="submit" name="decision" value="approve" id="approve">Continue</button>
</form>`,
  );
}

/** A plain result page (device connected, request rejected, …). */
export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
