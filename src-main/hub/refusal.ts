// A refusal the hub answers with: an HTTP status, a stable code for programs and a Spanish message for people (the
// protocol's `hubError`). The CLI prints the message and exits 1.
export class HubRefusal extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 500, readonly code: string, message: string) {
    super(message);
  }
}
