import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { apiError } from '../../__testUtils__/testUtils';
import { ApiErrorPanel, errorMessage } from './errors';

describe('ApiErrorPanel', () => {
  it.each([400, 403, 404, 409])(
    'shows an expected API error (%i) plainly: title and message, no stack or JSON',
    async status => {
      const error = await apiError(
        status,
        'NotFoundError',
        'No VPC named nope',
      );
      await renderInTestApp(
        <ApiErrorPanel error={error} title="Could not load VPC nope" />,
      );
      expect(screen.getByText('Could not load VPC nope')).toBeInTheDocument();
      expect(screen.getByText('No VPC named nope')).toBeInTheDocument();
      expect(screen.queryByText('Stack Trace')).not.toBeInTheDocument();
      expect(screen.queryByText('Full Error as JSON')).not.toBeInTheDocument();
      expect(screen.queryByText(/GET \/api\/hedgehog/)).not.toBeInTheDocument();
    },
  );

  it('shows only the message of an expected error without a title', async () => {
    const error = await apiError(409, 'ConflictError', 'A sync is queued');
    await renderInTestApp(<ApiErrorPanel error={error} />);
    expect(screen.getByRole('alert')).toHaveTextContent(/^A sync is queued$/);
  });

  it('keeps the details of an unexpected server error', async () => {
    const error = await apiError(500, 'Error', 'database is locked');
    await renderInTestApp(
      <ApiErrorPanel error={error} title="Could not load the runs" />,
    );
    expect(
      screen.getByText('Error: Could not load the runs: database is locked'),
    ).toBeInTheDocument();
    expect(screen.getByText('Full Error as JSON')).toBeInTheDocument();
  });

  it('keeps the details of a network failure', async () => {
    await renderInTestApp(
      <ApiErrorPanel error={new TypeError('Failed to fetch')} />,
    );
    expect(screen.getByText('Error: Failed to fetch')).toBeInTheDocument();
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(
      'Failed to fetch',
    );
  });
});
