// Calls to the service from the page. The page itself loads without a token; data calls carry
// `Authorization: Bearer <token>` once the user gave one (kept in sessionStorage, so only this tab
// has it). A 401 opens the token dialog, saying whether the token was missing or wrong, and the
// call is retried with the new token.
import { stringifyJsonPy } from '../../rewards/pyjson.js';
import type { ItemResult } from '../../rewards/types.js';

const TOKEN_KEY = 'golong-reward-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const tokenState = { required: false, rejected: false };
let pendingToken: Promise<void> | undefined;
const listeners: (() => void)[] = [];

export function onTokenChange(listener: () => void): void {
  listeners.push(listener);
}

const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

/** Shows the token dialog once, whatever number of calls are waiting for it. */
function askForToken(wrong: boolean, serverMessage: string): Promise<void> {
  pendingToken ??= new Promise<void>((resolve) => {
    const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
    const input = document.getElementById('token-input') as HTMLInputElement;
    const message = document.getElementById('token-message')!;
    message.textContent = wrong
      ? `The token was not accepted (${serverMessage}). Enter the service's token (GOLONG_REWARD_TOKEN); it is kept in this tab only.`
      : 'This service requires a bearer token (GOLONG_REWARD_TOKEN). It is kept in this tab only (sessionStorage).';
    message.className = wrong ? 'error' : '';
    input.value = '';
    const form = document.getElementById('token-form') as HTMLFormElement;
    form.onsubmit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      dialog.close();
      pendingToken = undefined;
      resolve();
    };
    dialog.oncancel = (event) => event.preventDefault(); // the page cannot work without it
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return pendingToken;
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    /* not JSON */
  }
  return text.slice(0, 300) || response.statusText;
}

/** fetch with the token; asks for it on 401 and retries. Throws ApiError on other non-2xx answers. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const headers = new Headers(init.headers);
    const token = storedToken();
    if (token) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers });
    if (response.status === 401) {
      const message = await errorMessage(response);
      tokenState.required = true;
      tokenState.rejected = token !== null;
      listeners.forEach((l) => l());
      await askForToken(token !== null, message);
      continue;
    }
    if (token) {
      tokenState.required = true;
      tokenState.rejected = false;
      listeners.forEach((l) => l());
    }
    if (!response.ok) throw new ApiError(response.status, `${init.method ?? 'GET'} ${path}: ${response.status} ${await errorMessage(response)}`);
    return response;
  }
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await api(path, init)).json() as Promise<T>;
}

/** A result of POST /score (the library's ItemResult, always with its id). */
export type ScoreResult = ItemResult & { id: string | number };

const utf8 = new TextEncoder();

/** An item's JSON text as a file has it: sent as it is (no second serialisation, numbers keep their digits). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * POST /score, marked as the debugger's own request (the live view tells them apart). With
 * `audit`, flagged items carry their reward-hacking findings (the scores are the same).
 */
export async function score(items: readonly unknown[], details: boolean, signal?: AbortSignal, audit = false): Promise<ScoreResult[]> {
  // stringifyJsonPy keeps the Python number types a parquet row recorded (100.0 stays a float).
  const texts = items.map((item) => (item instanceof JsonText ? item.text : stringifyJsonPy(item)));
  const body = await apiJson<{ results: ScoreResult[] }>('/score', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-golong-origin': 'debugger' },
    // Encoded here: handing fetch a long string (two-byte as soon as one item has CJK text) was the
    // page's main cost when scoring a file.
    body: utf8.encode(`{"details":${details},${audit ? '"audit":true,' : ''}"items":[${texts.join(',')}]}`),
    signal,
  });
  return body.results;
}

/** One row's problem, as POST /check reports it (index: the row's position in the request). */
export interface CheckProblem {
  index: number;
  problem: string;
  severity: string;
  message: string;
}

/** POST /check: the dataset doctor on dataset rows (no responses); only rows with a problem come back. */
export async function check(rows: readonly unknown[], signal?: AbortSignal): Promise<CheckProblem[]> {
  const body = await apiJson<{ problems: CheckProblem[] }>('/check', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-golong-origin': 'debugger' },
    body: utf8.encode(`{"rows":[${rows.map((r) => stringifyJsonPy(r)).join(',')}]}`),
    signal,
  });
  return body.problems;
}

export interface TasksInfo {
  semantics: string;
  scorers: { name: string; reward_type: string; description: string; reference: string; options: Record<string, string> }[];
  longbench_pro_subtasks: { name: string; reward_type: string; scorer: string }[];
  data_sources: { data_source: string; match: 'exact' | 'contains'; scorer: string; reward_type: string; response: string }[];
}

let tasksPromise: Promise<TasksInfo> | undefined;
export function tasks(): Promise<TasksInfo> {
  tasksPromise ??= apiJson<TasksInfo>('/tasks').catch((err: unknown) => {
    tasksPromise = undefined;
    throw err;
  });
  return tasksPromise;
}
