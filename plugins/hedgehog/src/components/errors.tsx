import { ResponseErrorPanel } from '@backstage/core-components';

/**
 * The message the backend sent with an error response (`{"error": {"message"}}`),
 * or the error's own message (network failures and the like).
 */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as {
      name?: string;
      message?: string;
      cause?: { message?: string };
      body?: { error?: { message?: string } };
    };
    if (e.name === 'ResponseError') {
      const message = e.body?.error?.message ?? e.cause?.message;
      if (message) return message;
    }
    if (e.message) return e.message;
  }
  return String(error);
}

/**
 * An error from the hedgehog API: the backend's own message as the title (never
 * a blank card), the status, request and full error body below it.
 */
export function ApiErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  const message = errorMessage(error);
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? `${title}: ${message}` : message}
    />
  );
}
