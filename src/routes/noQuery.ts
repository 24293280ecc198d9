// POST routes whose parameters all live in the JSON body: a query string there names nothing the
// route reads (`/score?details=true` would silently score without details), so it is refused
// before the body is read, with the body field it probably meant.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { didYouMean } from '../../rewards/suggest.js';

export function rejectQueryParameters(bodyFields: readonly string[]) {
  return async function noQuery(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const at = request.url.indexOf('?');
    if (at < 0 || at === request.url.length - 1) return undefined;
    const names = [...new URLSearchParams(request.url.slice(at + 1)).keys()];
    const path = request.url.slice(0, at);
    const first = names[0] ?? '';
    const inBody = bodyFields.includes(first) ? `; put "${first}" in the JSON body` : didYouMean(first, bodyFields);
    const message = `${path} takes no query parameters (got ${names.map((n) => JSON.stringify(n)).join(', ')})${inBody}; its body fields: ${bodyFields.join(', ')}`;
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
  };
}
