import { html } from 'hono/html';

/** Shown in the browser once the tokens are saved. */
export function successPage() {
  return html`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Signed in</title></head>
  <body style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 36rem">
    <h1>Signed in to Codex</h1>
    <p>ai-sdk-provider-codex saved your ChatGPT login. You can close this tab and return to the terminal.</p>
  </body>
</html>`;
}

/** Shown in the browser when the login failed; `message` is escaped by `html`. */
export function errorPage(message: string) {
  return html`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Sign-in could not be completed</title></head>
  <body style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 36rem">
    <h1>Sign-in could not be completed</h1>
    <p id="error">${message}</p>
    <p>Return to the terminal to retry.</p>
  </body>
</html>`;
}
