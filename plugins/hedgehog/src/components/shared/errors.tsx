import { ResponseErrorPanel } from '@backstage/core-components';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

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
 * Whether an error is an expected answer of the API (a 4xx response: bad input,
 * not allowed, not found, conflict) rather than a fault of the backend or the
 * network.
 */
export function isExpectedApiError(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return (
    (error as { name?: string } | undefined)?.name === 'ResponseError' &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  );
}

/**
 * An error from the hedgehog API. An expected one (4xx) is a plain alert with
 * the title and the backend's message; an unexpected one (5xx, network) keeps
 * the detailed panel (status, request, full error body) for troubleshooting,
 * with the backend's message in its title (never a blank card).
 */
export function ApiErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  const message = errorMessage(error);
  if (isExpectedApiError(error)) {
    return (
      <Alert severity="error" data-testid="api-error">
        {title && <AlertTitle>{title}</AlertTitle>}
        {message}
      </Alert>
    );
  }
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? `${title}: ${message}` : message}
    />
  );
}
