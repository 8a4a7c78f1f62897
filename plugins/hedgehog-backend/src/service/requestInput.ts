import { CustomErrorBase, InputError } from '@backstage/errors';
import { z } from 'zod';

/** A request's query or body checked against a schema; a 400 naming the first field that does not fit. */
export function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`Invalid ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** `?offset=&limit=` of a list. */
export const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** 429: the caller made too many calls of a limited route; Retry-After says when to try again. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}

/** Who asked (a user's entity ref, else the service's subject): the runs' `requestedBy`, the live reads' caller, an action's actor. */
export function who(credentials: { principal: unknown }): string | undefined {
  const p = credentials.principal as { type?: string; userEntityRef?: string; subject?: string };
  return p.userEntityRef ?? p.subject ?? p.type;
}
