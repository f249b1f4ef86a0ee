// The session: the API token (in session storage only, never in a URL), the generated
// client pointed at this server, and one way to turn an answer into data or an ApiError.
import { client, type FieldError, type Problem } from '@callplane/client';

const TOKEN_KEY = 'callplane.token';

export function currentToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

function configure(token: string | null): void {
  client.setConfig({ baseUrl: location.origin, auth: token ?? undefined });
}

configure(currentToken());

const listeners = new Set<() => void>();

/** Called when the token is set or dropped (sign-in, sign-out, a 401). */
export function onSessionChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function setToken(token: string | null): void {
  if (token === null) {
    sessionStorage.removeItem(TOKEN_KEY);
  } else {
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  configure(token);
  listeners.forEach((f) => f());
}

/** A failed API call: the HTTP status and the server's problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem ? `${problem.title}: ${problem.detail}` : status ? `HTTP ${status}` : 'The server did not answer');
  }

  /** Field errors by field path (`number`, `quirks.no_answer_timeout_s`). */
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of (this.problem?.errors ?? []) as FieldError[]) {
      out[e.field] = out[e.field] ? `${out[e.field]}; ${e.message}` : e.message;
    }
    return out;
  }
}

type Answer<T> = { data?: T; error?: unknown; response?: Response };

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && 'status' in v && 'detail' in v;
}

/** The data of a generated client call, or an ApiError; a 401 ends the session. */
export async function ask<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  const status = answer.response?.status ?? 0;
  if (answer.error !== undefined || status >= 400 || status === 0) {
    if (status === 401) {
      setToken(null);
    }
    throw new ApiError(status, isProblem(answer.error) ? answer.error : undefined);
  }
  return answer.data as T;
}

/** What to show for any error. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.entries(e.fields()).map(([f, m]) => `${f}: ${m}`);
    return fields.length ? `${e.message} (${fields.join('; ')})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
