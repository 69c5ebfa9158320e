/** What pacing needs to know of the primary window. */
export interface PacedWindow {
  usedPercent: number;
  /** When the window resets, epoch milliseconds. */
  resetsAt: number;
  /** What one request used of the window, as the last two answers showed. */
  percentPerRequest: number;
}

/**
 * When the next request may go so that what is left of the window lasts until its reset: the requests that
 * still fit are spread evenly from the last paced one to the reset. With nothing left there is nothing to
 * spread: the request goes, and the backend's answer (a usage limit) decides.
 *
 * @param lastSlot - When the previous paced request went (epoch ms), if one did.
 */
export function nextPacedSlot(
  window: PacedWindow,
  { now, lastSlot }: { now: number; lastSlot?: number },
): number {
  const requestsLeft = Math.floor(Math.max(0, 100 - window.usedPercent) / window.percentPerRequest);
  if (requestsLeft === 0) return now;
  const from = lastSlot ?? now;
  return Math.max(now, from + (window.resetsAt - from) / (requestsLeft + 1));
}
