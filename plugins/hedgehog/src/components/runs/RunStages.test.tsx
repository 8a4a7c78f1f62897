import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  failedApplyRun,
  recordTableWarnings,
  runningSyncRun,
} from '../../__testUtils__/testUtils';
import { RunStages } from './RunStages';

describe('RunStages', () => {
  it('gives material-table an id per stage row, pending stages included', async () => {
    const table = recordTableWarnings();
    try {
      await renderInTestApp(<RunStages run={runningSyncRun()} />);
      expect(screen.getByText('import')).toBeInTheDocument(); // pending
      expect(table.warnings()).not.toContainEqual(
        expect.stringMatching(/without id/),
      );
    } finally {
      table.restore();
    }
  });

  it('numbers the documents of a stage error from 1', async () => {
    const run = failedApplyRun();
    run.stages[0].errors = [
      {
        message: 'kind Gateway is not managed',
        file: 'raw/wiring.yaml',
        document: 0,
        path: 'kind',
      },
    ];
    await renderInTestApp(<RunStages run={run} />);
    expect(
      screen.getByText(
        'raw/wiring.yaml, document 1, kind: kind Gateway is not managed',
      ),
    ).toBeInTheDocument();
  });
});
