import { isValidLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { z } from 'zod';
import { FileToValidate } from './validateFiles';

/** The most files, and bytes of file content, one `POST /validate` may carry. */
export const MAX_VALIDATE_FILES = 200;
export const MAX_VALIDATE_BYTES = 5 * 1024 * 1024;

const validateBody = z
  .object({
    files: z
      .array(z.object({ path: z.string().min(1).max(1024), content: z.string() }).strict())
      .min(1)
      .max(MAX_VALIDATE_FILES),
    fabric: z.string().max(63).optional(),
  })
  .strict()
  .refine(b => b.files.reduce((n, f) => n + Buffer.byteLength(f.content, 'utf8'), 0) <= MAX_VALIDATE_BYTES, {
    message: `the files hold more than ${MAX_VALIDATE_BYTES} bytes in total`,
    path: ['files'],
  });

/** A `POST /validate` body: the files, and the fabric whose context they are validated in. */
export interface ValidateRequest {
  files: FileToValidate[];
  fabric?: string;
}

/** Why a body is not a valid request (the route answers 400 with the message). */
export class InvalidValidateRequest extends Error {}

/** Reads a `POST /validate` body from its bytes (JSON); throws InvalidValidateRequest naming the field. */
export function readValidateRequest(bytes: Uint8Array): ValidateRequest {
  let value: unknown = {};
  if (bytes.length > 0) {
    try {
      value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
    } catch (e) {
      throw new InvalidValidateRequest(`Invalid request body: not JSON (${(e as Error).message})`);
    }
  }
  const result = validateBody.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidValidateRequest(`Invalid request body: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { files, fabric } = result.data;
  if (fabric !== undefined && !isValidLabel(fabric)) throw new InvalidValidateRequest(`"${fabric}" is not a valid fabric name`);
  return { files, fabric };
}
